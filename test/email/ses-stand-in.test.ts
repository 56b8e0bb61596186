/**
 * The local SES (local/email) through the real SDK client, as the notification mailer calls it:
 * SendEmail answers a message id and keeps the message readable (JSON and .eml); bad input is
 * refused as SES refuses it, with the exception the SDK throws for it; an unsigned or wrongly
 * signed request is refused; the recipients' limit (50) holds at and past it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand, SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { startMailService, type MailService } from '../../local/email/index.ts';
import { MAX_RECIPIENTS } from '../../local/email/sesv2-api.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
let dir: string;
let service: MailService;
let ses: SESv2Client;

const message = (over: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput => ({
  FromEmailAddress: 'Sheetflow <notify@crm.example.com>',
  Destination: { ToAddresses: ['ann@acme.example'] },
  Content: { Simple: { Subject: { Data: 'Assigned to you: Fulfil the order — Größe 2', Charset: 'UTF-8' }, Body: { Text: { Data: 'Due Monday.\nOpen it: https://crm.example.com/inbox?task=1', Charset: 'UTF-8' } } } },
  ...over,
});
/** The SDK's exception for a refused request: its name and message. */
const refusal = (input: SendEmailCommandInput, client = ses) =>
  client.send(new SendEmailCommand(input)).then(
    () => undefined,
    (err: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: err.name, status: err.$metadata?.httpStatusCode, message: err.message }),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sheetflow-mail-'));
  service = await startMailService({ dataDir: dir, port: 0, credentials, verifiedIdentities: ['crm.example.com', 'solo@other.example'], region: 'eu-west-1' });
  ses = new SESv2Client({ endpoint: service.endpoint, region: 'eu-west-1', credentials });
});
afterAll(async () => {
  ses?.destroy();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SendEmail', () => {
  it('answers a message id and keeps the message as JSON and as an .eml a mail program opens', async () => {
    const sent = await ses.send(new SendEmailCommand(message({ Destination: { ToAddresses: ['ann@acme.example'], CcAddresses: ['Bob <bob@acme.example>'] }, ReplyToAddresses: ['sales@crm.example.com'] })));
    expect(sent.MessageId).toMatch(/^[0-9a-f]+-[0-9a-f-]{36}-000000$/);
    const [kept] = service.messages('bob@acme.example');
    expect(kept).toMatchObject({ messageId: sent.MessageId, from: 'Sheetflow <notify@crm.example.com>', to: ['ann@acme.example'], cc: ['Bob <bob@acme.example>'], replyTo: ['sales@crm.example.com'], subject: 'Assigned to you: Fulfil the order — Größe 2', text: 'Due Monday.\nOpen it: https://crm.example.com/inbox?task=1' });
    const files = readdirSync(dir).filter((name) => name.includes(sent.MessageId!));
    expect(files.sort()).toEqual([expect.stringMatching(/\.eml$/), expect.stringMatching(/\.json$/)]);
    const eml = readFileSync(join(dir, files.find((name) => name.endsWith('.eml'))!), 'utf8');
    expect(eml).toContain('From: Sheetflow <notify@crm.example.com>\r\nTo: ann@acme.example\r\nCc: Bob <bob@acme.example>\r\n');
    expect(eml).toContain(`Subject: =?UTF-8?B?${Buffer.from('Assigned to you: Fulfil the order — Größe 2').toString('base64')}?=`);
    expect(eml).toContain(Buffer.from('Due Monday.\nOpen it: https://crm.example.com/inbox?task=1').toString('base64'));
  });

  it('sends from a verified address as from a verified domain, and to 50 recipients at most', async () => {
    const fifty = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `r${i}@acme.example`);
    expect((await ses.send(new SendEmailCommand(message({ FromEmailAddress: 'solo@other.example', Destination: { ToAddresses: fifty.slice(0, 40), BccAddresses: fifty.slice(40) } })))).MessageId).toBeTruthy();
    expect(service.messages('r49@acme.example')).toHaveLength(1);
    expect(await refusal(message({ Destination: { ToAddresses: [...fifty, 'one-more@acme.example'] } }))).toEqual({ name: 'BadRequestException', status: 400, message: 'Recipient count exceeds 50.' });
  });

  it('refuses what SES refuses, with its exception, and keeps nothing of it', async () => {
    const before = readdirSync(dir).length;
    const simple = message().Content!.Simple!;
    expect(await refusal(message({ FromEmailAddress: 'someone@unverified.example' }))).toEqual({ name: 'MessageRejected', status: 400, message: 'Email address is not verified. The following identities failed the check in region EU-WEST-1: someone@unverified.example' });
    expect(await refusal(message({ FromEmailAddress: undefined }))).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(await refusal(message({ Destination: { ToAddresses: [] } }))).toMatchObject({ name: 'BadRequestException', message: 'Destination must name at least one recipient' });
    expect(await refusal(message({ Destination: { ToAddresses: ['ann.acme.example'] } }))).toMatchObject({ name: 'BadRequestException', message: "Missing final '@domain': ann.acme.example" });
    expect(await refusal(message({ Destination: { ToAddresses: ['ann@@acme'] } }))).toMatchObject({ name: 'BadRequestException', message: 'Illegal address: ann@@acme' });
    expect(await refusal(message({ Content: { Simple: { ...simple, Subject: { Data: '' } } } }))).toMatchObject({ name: 'BadRequestException', message: 'Simple.Subject.Data is required' });
    expect(await refusal(message({ Content: { Simple: { Subject: simple.Subject, Body: {} } } }))).toMatchObject({ name: 'BadRequestException', message: 'Simple.Body must have Text or Html' });
    expect(await refusal(message({ Content: { Simple: simple, Raw: { Data: new TextEncoder().encode('x') } } }))).toMatchObject({ name: 'BadRequestException', message: 'Content must have exactly one of Simple, Raw or Template' });
    expect(await refusal(message({ Content: { Template: { TemplateName: 'welcome', TemplateData: '{}' } } }))).toMatchObject({ name: 'BadRequestException' });
    expect(readdirSync(dir)).toHaveLength(before);
  });

  it('refuses a request signed with other keys, or not signed', async () => {
    const stranger = new SESv2Client({ endpoint: service.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'not-the-secret' } });
    expect(await refusal(message(), stranger)).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    stranger.destroy();
    const unsigned = await fetch(`${service.endpoint}/v2/email/outbound-emails`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message()) });
    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')]).toEqual([403, 'MissingAuthenticationTokenException']);
  });
});

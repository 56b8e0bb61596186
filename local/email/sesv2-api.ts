/**
 * Amazon SES API v2's SendEmail, as `@aws-sdk/client-sesv2` calls it: `POST
 * /v2/email/outbound-emails` with a JSON body, SigV4-signed (service `ses`) with the one key pair
 * the service is given. Answered as SES answers: `200 {"MessageId"}`, or the status with
 * `x-amzn-ErrorType` and `{"message"}` (the SDK throws the exception of that name):
 *   BadRequestException  no sender, no or too many recipients (50), an address that is none, no
 *                        subject or body, not exactly one of Simple/Raw/Template, templates
 *   MessageRejected      a sender that is not a verified identity (as in SES's sandbox, and as
 *                        any unverified domain is in production), a message over 40 MB
 *   NotFoundException    any other path
 * Sent messages are kept by MailFiles, readable as files.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignatureError, jsonApiRefusal, sha256Hex, verifySignature, type Credentials, type Refusal } from '../signature-v4.ts';
import { bareAddress, type MailFiles, type SentMail } from './mail-files.ts';

/** SES's limits: recipients of one message (To, Cc and Bcc together), and its size. */
export const MAX_RECIPIENTS = 50;
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** What is read of a request body at most: a 40 MB message, base64 in JSON, and then some. */
const MAX_REQUEST_BYTES = Math.ceil((MAX_MESSAGE_BYTES * 4) / 3) + 1024 * 1024;

export interface MailServiceSettings {
  credentials: Credentials;
  /** Addresses and domains mail may be sent from (SES's verified identities). */
  verifiedIdentities: readonly string[];
  region: string;
}

class SesError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'SesError';
  }
}

const badRequest = (message: string) => new SesError(400, 'BadRequestException', message);

export function sesHandler(files: MailFiles, settings: MailServiceSettings) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader('x-amzn-requestid', requestId);
    try {
      const body = await readBody(req);
      const [rawPath, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
      const refusal = refusedSignature(settings.credentials, { method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers }, body);
      if (refusal) throw new SesError(refusal.status, refusal.type, refusal.message);
      if (req.method !== 'POST' || rawPath !== '/v2/email/outbound-emails') throw new SesError(404, 'NotFoundException', `${req.method} ${rawPath} is not an operation of this SES stand-in (only SendEmail)`);
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        throw new SesError(400, 'SerializationException', 'The request body is not JSON');
      }
      const mail = sentMail(request as SendEmailRequest, settings);
      files.keep(mail);
      answer(res, 200, { MessageId: mail.messageId });
    } catch (err) {
      const error = err instanceof SesError ? err : new SesError(500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
      if (!(err instanceof SesError)) console.error('[email]', err);
      res.setHeader('x-amzn-ErrorType', error.type);
      answer(res, error.status, { message: error.message });
    }
  };
}

function refusedSignature(credentials: Credentials, request: Parameters<typeof verifySignature>[0], body: Buffer): Refusal | undefined {
  try {
    verifySignature(request, credentials, { service: 'ses', payloadHash: sha256Hex(body), uriEscapePath: true });
    return undefined;
  } catch (err) {
    if (!(err instanceof SignatureError)) throw err;
    return jsonApiRefusal(err);
  }
}

interface Text {
  Data?: string;
  Charset?: string;
}

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  Content?: { Simple?: { Subject?: Text; Body?: { Text?: Text; Html?: Text } }; Raw?: { Data?: string }; Template?: unknown };
}

/** The message a SendEmail request sends, or the error SES answers it with. */
function sentMail(request: SendEmailRequest, settings: MailServiceSettings): SentMail {
  const content = request.Content ?? {};
  const forms = (['Simple', 'Raw', 'Template'] as const).filter((form) => content[form] !== undefined);
  if (forms.length !== 1) throw badRequest('Content must have exactly one of Simple, Raw or Template');
  if (forms[0] === 'Template') throw badRequest('Templates are not supported by this SES stand-in; send Simple or Raw content');
  const from = request.FromEmailAddress;
  if (!from) throw badRequest('FromEmailAddress is required');
  checkAddress(from);
  const to = request.Destination?.ToAddresses ?? [];
  const cc = request.Destination?.CcAddresses ?? [];
  const bcc = request.Destination?.BccAddresses ?? [];
  const replyTo = request.ReplyToAddresses ?? [];
  const recipients = [...to, ...cc, ...bcc];
  if (recipients.length === 0) throw badRequest('Destination must name at least one recipient');
  if (recipients.length > MAX_RECIPIENTS) throw badRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
  for (const address of [...recipients, ...replyTo]) checkAddress(address);
  const sender = bareAddress(from);
  const verified = settings.verifiedIdentities.map((identity) => identity.toLowerCase());
  if (!verified.includes(sender) && !verified.includes(sender.slice(sender.indexOf('@') + 1))) {
    throw new SesError(400, 'MessageRejected', `Email address is not verified. The following identities failed the check in region ${settings.region.toUpperCase()}: ${from}`);
  }
  const base = { messageId: `${Date.now().toString(16)}-${randomUUID()}-000000`, at: new Date().toISOString(), from, to, cc, bcc, replyTo };
  if (content.Raw) {
    const raw = content.Raw.Data ?? '';
    if (!raw) throw badRequest('Raw.Data is required');
    if (Buffer.byteLength(raw, 'base64') > MAX_MESSAGE_BYTES) throw tooLarge();
    const subject = /^Subject: (.*)$/im.exec(Buffer.from(raw, 'base64').toString('utf8'))?.[1] ?? '';
    return { ...base, subject, raw };
  }
  const simple = content.Simple!;
  const subject = simple.Subject?.Data;
  if (!subject) throw badRequest('Simple.Subject.Data is required');
  const text = simple.Body?.Text?.Data;
  const html = simple.Body?.Html?.Data;
  if (text === undefined && html === undefined) throw badRequest('Simple.Body must have Text or Html');
  if (Buffer.byteLength(subject + (text ?? '') + (html ?? '')) > MAX_MESSAGE_BYTES) throw tooLarge();
  return { ...base, subject, ...(text !== undefined ? { text } : {}), ...(html !== undefined ? { html } : {}) };
}

const tooLarge = () => new SesError(400, 'MessageRejected', `Message length is more than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`);

/** An address as SES takes it: `local@domain.tld`, optionally with a display name (`Ann <ann@x.example>`). */
function checkAddress(address: string): void {
  const bare = bareAddress(address);
  if (!bare.includes('@')) throw badRequest(`Missing final '@domain': ${address}`);
  if (!/^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;.]+$/.test(bare)) throw badRequest(`Illegal address: ${address}`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_REQUEST_BYTES) throw new SesError(413, 'RequestEntityTooLargeException', 'The request is larger than SES accepts');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

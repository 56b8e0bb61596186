/**
 * Where the local SES keeps what it "sends": one message a file pair in `dataDir`, named by the
 * time it was taken and its message id, so a listing is in order: `<time>-<id>.json` (who, what,
 * when: for a person and for tests) and `<time>-<id>.eml` (the message as RFC 5322 text, which a
 * mail program opens). Written atomically: a reader never sees half a message.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.ts';

export interface SentMail {
  messageId: string;
  at: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /** A raw message's bytes as sent (base64), when it came as one. */
  raw?: string;
}

export class MailFiles {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  keep(mail: SentMail): void {
    const name = `${mail.at.replace(/[-:.]/g, '')}-${mail.messageId}`;
    writeFileAtomic(join(this.dir, `${name}.eml`), mail.raw ? Buffer.from(mail.raw, 'base64').toString('utf8') : emlOf(mail));
    // The JSON last: a message listed is there whole.
    writeFileAtomic(join(this.dir, `${name}.json`), `${JSON.stringify(mail, null, 2)}\n`);
  }

  /** Every message kept, oldest first (to one address, when given). */
  messages(to?: string): SentMail[] {
    const all = readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as SentMail);
    const address = to?.trim().toLowerCase();
    return address ? all.filter((mail) => [...mail.to, ...mail.cc, ...mail.bcc].some((each) => bareAddress(each) === address)) : all;
  }
}

/** `Ann <ann@x.example>` -> `ann@x.example`. */
export const bareAddress = (address: string) => (/<([^>]+)>\s*$/.exec(address)?.[1] ?? address).trim().toLowerCase();

/** A header's text in RFC 2047's encoded-word form when it is not plain ASCII. */
const headerText = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);

function emlOf(mail: SentMail): string {
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to.join(', ')}`,
    ...(mail.cc.length ? [`Cc: ${mail.cc.join(', ')}`] : []),
    ...(mail.replyTo.length ? [`Reply-To: ${mail.replyTo.join(', ')}`] : []),
    `Subject: ${headerText(mail.subject)}`,
    `Date: ${new Date(mail.at).toUTCString()}`,
    `Message-ID: <${mail.messageId}@email.local>`,
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string) => [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n')].join('\r\n');
  if (mail.text !== undefined && mail.html !== undefined) {
    const boundary = `=_${mail.messageId}`;
    return [...headers, `Content-Type: multipart/alternative; boundary="${boundary}"`, '', `--${boundary}`, part('text/plain', mail.text), `--${boundary}`, part('text/html', mail.html), `--${boundary}--`, ''].join('\r\n');
  }
  return [...headers, part(mail.html !== undefined ? 'text/html' : 'text/plain', mail.html ?? mail.text ?? ''), ''].join('\r\n');
}

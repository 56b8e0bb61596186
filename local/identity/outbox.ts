/**
 * Where the local identity provider "sends" e-mail (invitations, reset codes): one JSON line
 * per message in `<dataDir>/outbox.jsonl`, as a mail catcher would keep them. Cognito sends
 * real mail in AWS; here a person reads the file and tests read the messages.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Mail {
  at: string;
  to: string;
  subject: string;
  text: string;
  /** What the text carries, for a program to pick up: a temporary password, a code. */
  data: Record<string, string>;
}

export class Outbox {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'outbox.jsonl');
  }

  send(to: string, subject: string, text: string, data: Record<string, string>): void {
    const mail: Mail = { at: new Date().toISOString(), to, subject, text, data };
    appendFileSync(this.file, `${JSON.stringify(mail)}\n`, { mode: 0o600 });
  }

  messages(to?: string): Mail[] {
    if (!existsSync(this.file)) return [];
    const all = readFileSync(this.file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Mail);
    return to ? all.filter((mail) => mail.to === to.trim().toLowerCase()) : all;
  }
}

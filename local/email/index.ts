/**
 * The local SES: Amazon SES API v2's SendEmail on its own port (sesv2-api.ts), every message kept
 * as files under `dataDir` (mail-files.ts) for a developer to read and tests to check. Functions
 * reach it through `@aws-sdk/client-sesv2` with `AWS_ENDPOINT_URL_SESV2`, as they reach SES.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MailFiles, type SentMail } from './mail-files.ts';
import { sesHandler, type MailServiceSettings } from './sesv2-api.ts';

export type { SentMail } from './mail-files.ts';

export interface MailServiceOptions extends MailServiceSettings {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface MailService {
  /** http://host:port — what AWS_ENDPOINT_URL_SESV2 is set to. */
  endpoint: string;
  /** The folder the messages are kept in. */
  dir: string;
  /** Every message sent, oldest first (to one address, when given). */
  messages(to?: string): SentMail[];
  close(): Promise<void>;
}

export async function startMailService(options: MailServiceOptions): Promise<MailService> {
  const files = new MailFiles(options.dataDir);
  const server = createServer(sesHandler(files, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    dir: files.dir,
    messages: (to) => files.messages(to),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The e-mail adapter: one message through Amazon SES (API v2, SendEmail), the client at module
 * scope (reused across invocations). The endpoint is the SDK's own configuration
 * (`AWS_ENDPOINT_URL_SESV2` points it at local/email on one machine); the sender is the
 * verified identity the deployment names (`MAIL_FROM`).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ENV } from '../../infra/app-resources.ts';

const client = new SESv2Client({});

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** SES's answers to a request it could never take, however often sent; anything else (throttling, a fault, no answer) may pass later. */
const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException', 'ThrottlingException']);

/** SES refused or failed the message; the SDK's error is the cause. `permanent`: SES refused this message itself (a bad address, an unverified sender), sending it again is no use. */
export class MailError extends Error {
  readonly permanent: boolean;

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'MailError';
    const cause = options.cause as { name?: string; $fault?: string } | undefined;
    this.permanent = cause?.$fault === 'client' && !THROTTLED.has(cause.name ?? '');
  }
}

/** The sender this deployment mails from, or undefined when none is set (no e-mail is sent). */
export const mailSender = (): string | undefined => process.env[ENV.mailFrom] || undefined;

/** Sends the message from `from`; resolves with SES's message id. */
export async function sendMail(from: string, mail: Mail): Promise<string> {
  try {
    const sent = await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Simple: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: mail.text, Charset: 'UTF-8' } } } },
      }),
    );
    return sent.MessageId ?? '';
  } catch (err) {
    throw new MailError(`could not send an e-mail to ${mail.to}`, { cause: err });
  }
}

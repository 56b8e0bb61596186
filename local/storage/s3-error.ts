import type { SignatureError, SignatureErrorKind } from '../signature-v4.ts';

/**
 * An S3 error as S3 answers it: an HTTP status and an XML body with `Code` and `Message`, which
 * the AWS SDK turns into the exception of that name (`NoSuchKey`, `AccessDenied`, ...).
 */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements of the error body, e.g. `Key`, `Expires`. */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }

  toXml(resource: string, requestId: string): string {
    const extra = Object.entries(this.details).map(([name, value]) => `<${name}>${xmlText(value)}</${name}>`);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${this.code}</Code><Message>${xmlText(this.message)}</Message>${extra.join('')}<Resource>${xmlText(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
  }
}

export const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A request whose Signature V4 was refused (../signature-v4.ts), as S3 says it: status, code and, where S3's is fixed, its message. */
const SIGNATURE_ERRORS: Record<SignatureErrorKind, { status: number; code: string; message?: string }> = {
  Missing: { status: 403, code: 'AccessDenied' },
  Unsupported: { status: 400, code: 'InvalidArgument' },
  Incomplete: { status: 403, code: 'AccessDenied' },
  InvalidQuery: { status: 400, code: 'AuthorizationQueryParametersError' },
  InvalidScope: { status: 400, code: 'AuthorizationQueryParametersError' },
  MissingPayloadHash: { status: 400, code: 'InvalidRequest' },
  UnknownAccessKey: { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' },
  Expired: { status: 403, code: 'AccessDenied' },
  Skewed: { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' },
  Mismatch: { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' },
};

export function s3SignatureError(err: SignatureError): S3Error {
  const { status, code, message } = SIGNATURE_ERRORS[err.kind];
  return new S3Error(status, code, message ?? err.message);
}

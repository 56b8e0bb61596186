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

export const accessDenied = (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message);

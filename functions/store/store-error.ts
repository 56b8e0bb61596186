/** The table refused or failed a request; the SDK's error is the cause. */
export class StoreError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

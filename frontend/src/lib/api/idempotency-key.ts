/** A key per request (`Idempotency-Key`, or a bulk body's `idempotencyKey`): random, within the contract's alphabet. */
export const newIdempotencyKey = () => crypto.randomUUID().replaceAll('-', '');

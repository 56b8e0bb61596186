/**
 * The shim's own keys, in the same LevelDB as dynalite's (so that one batch can cover both).
 * Dynalite's keys start with `table~`, `item-`, `index-` and `tag-`; ours with `shim-`.
 */
export const SEQUENCE_DIGITS = 21;

export const padSequence = (seq: number) => String(seq).padStart(SEQUENCE_DIGITS, '0');

export const keyspace = {
  /** Stream records of all tables, in commit order: shim-stream~<sequence>. */
  stream: 'shim-stream~',
  streamRecord: (seq: number) => `shim-stream~${padSequence(seq)}`,
  /** Last sequence number a consumer has processed: shim-checkpoint~<consumer>. */
  checkpoint: (consumer: number) => `shim-checkpoint~${consumer}`,
  checkpoints: 'shim-checkpoint~',
  /** Records a consumer gave up on after its retries, kept rather than lost. */
  deadLetter: (consumer: number, seq: string) => `shim-dead-letter~${consumer}~${seq}`,
  /** TimeToLive settings per table: shim-ttl~<table>. */
  ttl: 'shim-ttl~',
  ttlSetting: (table: string) => `shim-ttl~${table}`,
  /** Items by expiry: shim-expiry~<table>~<epoch seconds, padded>~<item key>. */
  expiryOf: (table: string) => `shim-expiry~${table}~`,
  /** ClientRequestTokens of committed transactions: shim-token~<token>. */
  token: (token: string) => `shim-token~${token}`,
  tokens: 'shim-token~',
} as const;

/** The upper bound of a prefix range (LevelDB keys compare as strings). */
export const prefixEnd = (prefix: string) => prefix + '\uffff';

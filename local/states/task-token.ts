/**
 * Task tokens name their task: the execution and the thread that waits, plus a random nonce.
 * A token is valid while that thread waits on exactly that token, which the execution's own
 * checkpoint records - so tokens need no records of their own.
 */
import { randomBytes } from 'node:crypto';

export interface TokenTarget {
  executionArn: string;
  threadId: string;
}

export function newTaskToken(target: TokenTarget): string {
  const body = { a: target.executionArn, t: target.threadId, n: randomBytes(24).toString('base64url') };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The task a token names, or undefined if it is not one of ours. */
export function readTaskToken(token: string): TokenTarget | undefined {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof body?.a === 'string' && typeof body?.t === 'string' && typeof body?.n === 'string') {
      return { executionArn: body.a, threadId: body.t };
    }
  } catch {
    // not JSON: not a token of ours
  }
  return undefined;
}

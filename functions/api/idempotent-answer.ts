/**
 * Requests with an idempotency key are answered once: the first copy does the work and its
 * answer is stored under the key; a retry, or a copy sent at the same time, gets exactly that
 * answer (a concurrent copy waits for it), and the key sent with another body is refused.
 *
 * Items (TTL 24 h), per caller, so no one replays another user's answer:
 *   `T#<tenant>#IDEMPOTENCY#<sub>#<key>` / `REQUEST`: `requestHash`, `state` (`working`, `done`),
 *     `owner` (the copy doing the work, then the one whose answer is stored), `leaseUntil` (epoch
 *     ms), `parts`
 *   same pk / `ANSWER#<owner>#<n>`: the answer, gzipped JSON cut in parts of 350 KB (an answer
 *     may be up to Lambda's 6 MB; an item at most 400 KB)
 * Exactly one copy does the work: the REQUEST item is created with `attribute_not_exists`. A copy
 * that crashed leaves its lease to run out; the next copy then takes the request over and does
 * the work again, which the routes make safe (bulk and trash recognise their own earlier writes
 * by the key in the history, see bulk/apply-cell-changes.ts).
 *
 * Not Powertools' idempotency utility: a copy that finds the request in progress gets an error
 * there (IdempotencyAlreadyInProgressError) instead of the answer, the answer is kept in one
 * attribute of one item (400 KB, where ours reach 6 MB), and its records sit under a static
 * partition key or in a table of their own, not under the tenant's keys.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchPutAll, conditionFailed, deleteItem, getItem, putItem, queryItems, updateItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { FUNCTIONS } from '../../infra/app-resources.ts';
import type { ApiResult } from './http.ts';
import type { ApiRequest } from './router.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

const KEEP_SECONDS = 24 * 60 * 60;
const PART_BYTES = 350_000;
/** A copy holds the request as long as the function may run, and a little more. */
const LEASE_MS = (FUNCTIONS.api.timeoutSeconds + 5) * 1000;

export interface IdempotentRequest {
  tenant: string;
  sub: string;
  key: string;
  /** The route and the body without the key: what must be the same for the key to answer it. */
  route: string;
  body: unknown;
}

/** The key came with another request than the one it first named. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IdempotencyKeyReused';

  constructor(readonly key: string) {
    super(`idempotencyKey ${key} was already used for another request; send a new key with a new request`);
    this.name = 'IdempotencyKeyReusedError';
  }

  details(): ErrorDetails {
    return { issues: [{ path: 'idempotencyKey', message: 'was already used for another request', value: this.key }] };
  }
}

/** A route's answer to a body that may carry `idempotencyKey`: once per key (`answerOnce`), or as it comes without one. */
export function answerOncePerKey<B extends { idempotencyKey?: string }>(request: ApiRequest, body: B, work: () => Promise<ApiResult>): Promise<ApiResult> {
  const { idempotencyKey: key, ...rest } = body;
  if (!key) return work();
  const { tenant, sub } = request.principal;
  const route = `${request.event.requestContext.http.method} ${request.event.rawPath}`;
  return answerOnce({ tenant, sub, key, route, body: rest }, work);
}

/** The answer to the request: the stored one when the key answered it before, else `work`'s, stored. */
export async function answerOnce(request: IdempotentRequest, work: () => Promise<ApiResult>): Promise<ApiResult> {
  const pk = ITEM_KINDS.idempotency.pk(request.tenant, request.sub, request.key);
  const requestHash = createHash('sha256').update(JSON.stringify([request.route, request.body])).digest('base64');
  const owner = randomUUID();
  for (let wait = 25; ; wait = Math.min(wait * 2, 400)) {
    if (await claim(pk, requestHash, owner)) return answerAndStore(pk, owner, work);
    const stored = await readRequest(pk);
    if (!stored) continue; // released by a copy that failed: try to claim it again
    if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError(request.key);
    if (stored.state === 'done') return readAnswer(pk, stored.owner, stored.parts);
    await sleep(wait);
  }
}

/** The request is ours to work on: new, or left by a copy whose lease ran out. */
async function claim(pk: string, requestHash: string, owner: string): Promise<boolean> {
  const now = Date.now();
  try {
    await putItem({
      Item: { pk, sk: 'REQUEST', requestHash, state: 'working', owner, leaseUntil: now + LEASE_MS, expiresAt: expiry() },
      ConditionExpression: 'attribute_not_exists(pk) OR (#state = :working AND leaseUntil < :now AND requestHash = :hash)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':working': 'working', ':now': now, ':hash': requestHash },
    });
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

async function answerAndStore(pk: string, owner: string, work: () => Promise<ApiResult>): Promise<ApiResult> {
  let answer: ApiResult;
  try {
    answer = await work();
  } catch (err) {
    // Nothing to replay: the next copy does the work (again, safely).
    await deleteItem({ Key: { pk, sk: 'REQUEST' }, ConditionExpression: '#owner = :owner', ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: { ':owner': owner } }).catch(() => undefined);
    throw err;
  }
  const packed = gzipSync(JSON.stringify(answer));
  const parts: Uint8Array[] = [];
  for (let start = 0; start < packed.length; start += PART_BYTES) parts.push(packed.subarray(start, start + PART_BYTES));
  // Parts first, then the request marked done: a copy that sees `done` finds every part.
  await batchPutAll(parts.map((data, n) => ({ pk, sk: partSk(owner, n), data, expiresAt: expiry() })));
  try {
    await updateItem({
      Key: { pk, sk: 'REQUEST' },
      UpdateExpression: 'SET #state = :done, parts = :parts REMOVE leaseUntil',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
      ExpressionAttributeValues: { ':done': 'done', ':parts': parts.length, ':owner': owner },
    });
  } catch (err) {
    // Our lease ran out and another copy took the request over: it stores its own answer.
    if (!conditionFailed(err)) throw err;
  }
  return answer;
}

interface StoredRequest {
  requestHash: string;
  state: 'working' | 'done';
  owner: string;
  parts: number;
}

async function readRequest(pk: string): Promise<StoredRequest | undefined> {
  const { Item } = await getItem({ Key: { pk, sk: 'REQUEST' }, ConsistentRead: true });
  return Item as StoredRequest | undefined;
}

async function readAnswer(pk: string, owner: string, parts: number): Promise<ApiResult> {
  const chunks: Uint8Array[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await queryItems({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :answer)',
      ExpressionAttributeValues: { ':pk': pk, ':answer': partSk(owner) },
      ConsistentRead: true,
      ExclusiveStartKey,
    });
    for (const item of page.Items ?? []) chunks.push(item.data as Uint8Array);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  if (chunks.length !== parts) throw new Error(`the stored answer of ${pk} has ${chunks.length} of its ${parts} parts`);
  return JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')) as ApiResult;
}

/** A part's sort key; without `n`, the prefix of them all. */
const partSk = (owner: string, n?: number) => `ANSWER#${owner}#${n === undefined ? '' : String(n).padStart(4, '0')}`;
const expiry = () => Math.floor(Date.now() / 1000) + KEEP_SECONDS;

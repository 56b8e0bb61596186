/**
 * Idempotency keys (issue 12 item 6) on every route that takes one (`idempotencyKey` in
 * POST /api/bulk, /api/trash, /api/trash/restore): a retry answers exactly the first answer, the
 * key with another body is refused with 422 naming it, concurrent copies all get the first
 * copy's answer (they wait for it) and the work is done once; a key is the caller's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type ApiResponse, type TestCloud } from '../support/cloud.ts';
import { createApiClient } from '../../frontend/src/lib/api/api-client.ts';
import { sendBulk } from '../../frontend/src/lib/grid/bulk-writer.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('keys');
});
afterAll(() => cloud?.stop());

const company = async (fields: Record<string, unknown>, as = user) => {
  const response = await as.post('/api/companies', fields);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number };
};
const historyOf = async (id: string) => HistoryResponse.parse((await user.get(`/api/companies/${id}/history`)).json).items;
let keys = 0;
const newKey = () => `key-${Date.now()}-${++keys}`;
/** What a client sees of an answer: status and body (the request id differs per request, and is no part of it). */
const seen = (response: ApiResponse) => ({ status: response.status, body: response.json });

describe('POST /api/bulk with an idempotency key', () => {
  it('answers a retry exactly as the first time: ok and invalid stay so', async () => {
    const acme = await company({ name: 'Acme' });
    const body = {
      idempotencyKey: newKey(),
      changes: [
        { type: 'company', id: acme.id, version: 1, field: 'industry', value: 'Steel' },
        { type: 'company', id: acme.id, version: 1, field: 'emails', value: ['not an e-mail'] },
      ],
    };
    const first = await user.post('/api/bulk', body);
    expect(first.json.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'invalid']);
    const retry = await user.post('/api/bulk', body);
    expect(seen(retry)).toEqual(seen(first));
    expect((await user.get(`/api/companies/${acme.id}`)).json).toMatchObject({ version: 2, industry: 'Steel' });
    expect((await user.get(`/api/companies/${acme.id}`)).json.emails ?? []).toEqual([]);
  });

  it('refuses the key sent with another body with 422, naming it, and changes nothing', async () => {
    const acme = await company({ name: 'Acme Two' });
    const idempotencyKey = newKey();
    const first = await user.post('/api/bulk', { idempotencyKey, changes: [{ type: 'company', id: acme.id, version: 1, field: 'industry', value: 'Steel' }] });
    expect(first.json.results).toEqual([{ status: 'ok', version: 2 }]);
    const other = await user.post('/api/bulk', { idempotencyKey, changes: [{ type: 'company', id: acme.id, version: 1, field: 'industry', value: 'Glass' }] });
    expect(other.status).toBe(422);
    expect(other.json.error).toMatchObject({ code: 'IdempotencyKeyReused', issues: [{ path: 'idempotencyKey', value: idempotencyKey }] });
    expect(other.json.error.message).toContain(idempotencyKey);
    expect((await user.get(`/api/companies/${acme.id}`)).json).toMatchObject({ version: 2, industry: 'Steel' });
  });

  it('answers 10 concurrent copies with the first one\'s answer, none a conflict, and writes once', async () => {
    const [a, b] = [await company({ name: 'Con A' }), await company({ name: 'Con B' })];
    const body = {
      idempotencyKey: newKey(),
      changes: [
        { type: 'company', id: a.id, version: 1, field: 'industry', value: 'Steel' },
        { type: 'company', id: b.id, version: 1, field: 'industry', value: 'Glass' },
        { type: 'company', id: b.id, version: 1, field: 'size', value: 'huge' },
      ],
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => user.post('/api/bulk', body)));
    expect(answers[0].json.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'invalid']);
    for (const answer of answers) expect(seen(answer)).toEqual(seen(answers[0]));
    expect((await historyOf(a.id)).map((h) => h.version)).toEqual([1, 2]);
    expect((await historyOf(b.id)).map((h) => h.version)).toEqual([1, 2]);
  });

  it('replays an answer larger than a DynamoDB item exactly', async () => {
    // Conflicts carry the records as they are: five of 150 KB each, which gzip shrinks to about
    // 560 KB, more than one item holds.
    const field = await user.post('/api/fields/company', { label: 'Notes', type: 'long_text' });
    expect(field.status, field.text).toBe(201);
    const big = await Promise.all([1, 2, 3, 4, 5].map(async (n) => company({ name: `Big ${n}`, [field.json.key]: randomBytes(112_000).toString('base64') })));
    const body = { idempotencyKey: newKey(), changes: big.map(({ id }) => ({ type: 'company', id, version: 7, field: 'industry', value: 'Late' })) };
    const first = await user.post('/api/bulk', body);
    expect(first.json.results.map((r: { status: string }) => r.status)).toEqual(big.map(() => 'conflict'));
    expect(first.text.length).toBeGreaterThan(400_000);
    expect(seen(await user.post('/api/bulk', body))).toEqual(seen(first));
  });

  it('answers the grid\'s paste sent again after a lost answer as the first time, past the work budget too', async () => {
    // 12 records of ~350 KB are more than one request's work (4 MiB): the grid sends those
    // answered `later` in a request of its own. That one's answer is lost; the grid parks the
    // paste and sends it all again later: each request is answered as it was, none a conflict
    // with the paste's own write.
    const [first, second] = await Promise.all(['Long notes', 'More long notes'].map(async (label) => (await user.post('/api/fields/company', { label, type: 'long_text' })).json.key as string));
    const records: Array<{ id: string; version: number }> = [];
    for (let n = 0; n < 12; n++) {
      const { id } = await company({ name: `Paste ${n}`, [first]: randomBytes(150_000).toString('base64') });
      const changed = await user.patch(`/api/companies/${id}`, { version: 1, fields: { [second]: randomBytes(112_000).toString('base64') } });
      expect(changed.status, changed.text).toBe(200);
      records.push({ id, version: 2 });
    }
    const bulkCalls: string[] = [];
    let loseAnswer = true;
    const api = createApiClient({
      baseUrl: cloud.url,
      token: async () => user.token ?? null,
      fetch: async (url, init) => {
        const answer = await fetch(url, init);
        if (String(url).endsWith('/api/bulk')) {
          bulkCalls.push(JSON.parse(String(init?.body)).idempotencyKey);
          // The second request's answer never arrives: written, but the client does not know.
          if (bulkCalls.length === 2 && loseAnswer) {
            loseAnswer = false;
            throw new TypeError('connection reset');
          }
        }
        return answer;
      },
    });
    const request = { idempotencyKey: newKey(), changes: records.map(({ id, version }) => ({ type: 'company', id, version, field: 'industry', value: 'Pasted' })) };
    await expect(sendBulk(api, request)).rejects.toMatchObject({ code: 'NetworkError' });
    const results = await sendBulk(api, request);
    expect(results.map(({ status }) => status)).toEqual(records.map(() => 'ok'));
    expect(results.map((result) => (result.status === 'ok' ? result.version : 0))).toEqual(records.map(() => 3));
    expect(bulkCalls).toEqual([bulkCalls[0], bulkCalls[1], bulkCalls[0], bulkCalls[1]]);
    for (const { id } of records) expect((await historyOf(id)).map((h) => h.version)).toEqual([1, 2, 3]);
  });

  it('is the caller\'s own: another user\'s same key and body get their own answer', async () => {
    const acme = await company({ name: 'Mine' });
    const body = { idempotencyKey: newKey(), changes: [{ type: 'company', id: acme.id, version: 1, field: 'industry', value: 'Steel' }] };
    expect((await user.post('/api/bulk', body)).json.results).toEqual([{ status: 'ok', version: 2 }]);
    const rep = await cloud.userOf('keys', ['sales-representative']);
    // The rep sees none of the administrator's companies: to them the record does not exist.
    expect((await rep.post('/api/bulk', body)).json.results).toEqual([{ status: 'invalid', reason: `no company ${acme.id} exists` }]);
  });
});

describe('POST /api/trash and /api/trash/restore with an idempotency key', () => {
  it('answer 10 concurrent copies with the first one\'s answer and move each record once', async () => {
    const records = await Promise.all(['T1', 'T2', 'T3'].map((name) => company({ name })));
    const trashBody = { idempotencyKey: newKey(), items: records.map(({ id }) => ({ type: 'company', id, version: 1 })) };
    const trashed = await Promise.all(Array.from({ length: 10 }, () => user.post('/api/trash', trashBody)));
    expect(trashed[0].json.results).toEqual(records.map(() => ({ status: 'ok', version: 2 })));
    for (const answer of trashed) expect(seen(answer)).toEqual(seen(trashed[0]));

    const restoreBody = { idempotencyKey: newKey(), items: records.map(({ id }) => ({ type: 'company', id, version: 2 })) };
    const restored = await Promise.all(Array.from({ length: 10 }, () => user.post('/api/trash/restore', restoreBody)));
    expect(restored[0].json.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok']);
    for (const answer of restored) expect(seen(answer)).toEqual(seen(restored[0]));
    for (const { id } of records) expect((await historyOf(id)).map((h) => h.action)).toEqual(['created', 'deleted', 'restored']);
  });

  it('answer a retry exactly, a conflict included, and refuse the key with another body', async () => {
    const [a, b] = [await company({ name: 'R1' }), await company({ name: 'R2' })];
    const body = { idempotencyKey: newKey(), items: [{ type: 'company', id: a.id, version: 1 }, { type: 'company', id: b.id, version: 5 }] };
    const first = await user.post('/api/trash', body);
    expect(first.json.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'conflict']);
    expect(seen(await user.post('/api/trash', body))).toEqual(seen(first));
    const other = await user.post('/api/trash', { ...body, items: [{ type: 'company', id: b.id, version: 1 }] });
    expect(other.status).toBe(422);
    expect(other.json.error).toMatchObject({ code: 'IdempotencyKeyReused', issues: [{ path: 'idempotencyKey' }] });
    // The same key on the other route is another request too.
    const restore = await user.post('/api/trash/restore', body);
    expect(restore.status).toBe(422);
    expect((await user.get(`/api/companies/${b.id}`)).json.version).toBe(1);
  });
});

describe('idempotent starts: the same request sent 10 times at once', () => {
  it('starts the import of an upload once: every copy answers that job', async () => {
    const csv = 'Name,Emails\r\nAda Upload,ada.upload@example.com\r\nBob Upload,bob.upload@example.com\r\n';
    const target = await user.post('/api/imports/uploads', { type: 'contacts', fileName: 'contacts.csv', size: Buffer.byteLength(csv) });
    expect(target.status, target.text).toBe(201);
    const put = await fetch(target.json.url, { method: 'PUT', headers: target.json.headers, body: csv });
    expect(put.status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => user.request('POST', `/api/imports?type=contacts&upload=${target.json.upload}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    for (const answer of answers) expect(answer.json.id, answer.text).toBe(target.json.upload);
    await expect.poll(async () => (await user.get(`/api/imports/${target.json.upload}`)).json.status).toBe('done');
    expect((await user.get(`/api/imports/${target.json.upload}`)).json).toMatchObject({ ok: 2, duplicates: 0 });
  });

  it('merges two records once: every copy answers the survivor, one merged and the rest replayed', async () => {
    const keep = await company({ name: 'Keep Co', domain: 'keep.example' });
    const gone = await company({ name: 'Gone Co', domain: 'gone.example' });
    const body = { otherId: gone.id, version: 1, otherVersion: 1 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => user.post(`/api/companies/${keep.id}/merge`, body)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(answers.filter((a) => a.json.replayed === false)).toHaveLength(1);
    for (const answer of answers) expect(answer.json.record).toEqual(answers[0].json.record);
    expect((await historyOf(keep.id)).map((h) => h.version)).toEqual([1, 2]);
  });
});

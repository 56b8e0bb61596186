/** POST /api/bulk: cell changes grouped per record, one transaction each, a result per cell, no double apply on retry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkResponse, type CellChange } from '../../functions/contracts/bulk.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('bulk');
});
afterAll(() => cloud?.stop());

async function bulk(changes: CellChange[], idempotencyKey?: string) {
  const response = await user.post('/api/bulk', { changes, idempotencyKey });
  expect(response.status, response.text).toBe(200);
  return BulkResponse.parse(response.json).results;
}

const company = async (name: string) => (await user.post('/api/companies', { name })).json;
const history = async (id: string) => HistoryResponse.parse((await user.get(`/api/companies/${id}/history`)).json).items;

describe('bulk cell changes', () => {
  it('applies each record\'s cells in one write and answers per cell', async () => {
    const [a, b] = [await company('A'), await company('B')];
    const results = await bulk([
      { type: 'company', id: a.id, version: 1, field: 'industry', value: 'Steel' },
      { type: 'company', id: b.id, version: 1, field: 'name', value: 'B renamed' },
      { type: 'company', id: a.id, version: 1, field: 'domain', value: 'A.example' },
      { type: 'company', id: a.id, version: 1, field: 'size', value: 'many' },
      { type: 'company', id: a.id, version: 1, field: 'colour', value: 'red' },
      { type: 'planet', id: a.id, version: 1, field: 'name', value: 'x' },
      { type: 'company', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 1, field: 'name', value: 'x' },
      { type: 'company', id: a.id, version: 1, field: 'constructor', value: 'x' },
      { type: 'company', id: a.id, version: 1, field: 'version', value: 7 },
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    expect(results[0]).toEqual({ status: 'ok', version: 2 });
    expect(results[3]).toMatchObject({ reason: expect.stringContaining('size') });
    expect(results[4]).toMatchObject({ reason: expect.stringContaining('not a known field') });
    expect((await user.get(`/api/companies/${a.id}`)).json).toMatchObject({ version: 2, industry: 'Steel', domain: 'a.example' });
    const [, change] = await history(a.id);
    expect(change.changes.map((c) => c.field).sort()).toEqual(['domain', 'industry']);
  });

  it('answers a stale cell with conflict and the current record', async () => {
    const c = await company('Stale');
    await user.patch(`/api/companies/${c.id}`, { version: 1, fields: { name: 'Moved on' } });
    const response = BulkResponse.parse((await user.post('/api/bulk', { changes: [{ type: 'company', id: c.id, version: 1, field: 'industry', value: 'Lost' }] })).json);
    expect(response.results).toEqual([{ status: 'conflict', version: 2 }]);
    expect(response.records[c.id]).toMatchObject({ id: c.id, version: 2, name: 'Moved on' });
    expect((await user.get(`/api/companies/${c.id}`)).json).not.toHaveProperty('industry');
  });

  it('a retry never applies twice: with the key it answers ok again, without it conflict', async () => {
    const c = await company('Retried');
    const changes: CellChange[] = [
      { type: 'company', id: c.id, version: 1, field: 'industry', value: 'Once' },
      { type: 'company', id: c.id, version: 1, field: 'taxId', value: 'T-1' },
    ];
    const first = await bulk(changes, 'paste-0001');
    const retry = await bulk(changes, 'paste-0001');
    expect(retry).toEqual(first);
    expect(first).toEqual([{ status: 'ok', version: 2 }, { status: 'ok', version: 2 }]);
    expect((await bulk(changes)).map((r) => r.status)).toEqual(['conflict', 'conflict']);
    expect((await bulk(changes, 'another-key')).map((r) => r.status)).toEqual(['conflict', 'conflict']);
    expect((await history(c.id)).map((h) => h.version)).toEqual([1, 2]);
  });

  it('a cell with a relation to nothing is invalid; the record\'s other cells still apply', async () => {
    const contact = (await user.post('/api/contacts', { name: 'Linked' })).json;
    const results = await bulk([
      { type: 'contact', id: contact.id, version: 1, field: 'companyIds', value: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] },
      { type: 'contact', id: contact.id, version: 1, field: 'position', value: 'Boss' },
    ]);
    expect(results[0]).toMatchObject({ status: 'invalid', reason: expect.stringContaining('companyIds.0') });
    expect(results[1]).toEqual({ status: 'ok', version: 2 });
  });

  it('refuses the cells of a record whose write a rule about other fields refuses (a stage\'s required field), each with the reason; other records apply', async () => {
    const admin = await cloud.userOf('bulk-stages');
    const [sales] = (await admin.get('/api/pipelines')).json.items;
    const { version, updatedAt: _at, updatedBy: _by, ...pipeline } = sales;
    pipeline.stages = pipeline.stages.map((stage: { key: string }) => (stage.key === 'proposal' ? { ...stage, requiredFields: ['amount'] } : stage));
    expect((await admin.put('/api/pipelines/default', { version, pipeline })).status).toBe(200);
    const bare = (await admin.post('/api/deals', { name: 'Bare' })).json;
    const priced = (await admin.post('/api/deals', { name: 'Priced', amount: { amount: '10', currency: 'EUR' } })).json;
    const response = await admin.post('/api/bulk', {
      changes: [
        { type: 'deal', id: bare.id, version: 1, field: 'stage', value: 'proposal' },
        { type: 'deal', id: bare.id, version: 1, field: 'name', value: 'Bare renamed' },
        { type: 'deal', id: priced.id, version: 1, field: 'stage', value: 'proposal' },
      ],
    });
    expect(response.status, response.text).toBe(200);
    const [stage, name, other] = BulkResponse.parse(response.json).results;
    expect(stage).toEqual({ status: 'invalid', reason: 'amount: is required to enter Proposal' });
    expect(name).toEqual(stage);
    expect(other).toEqual({ status: 'ok', version: 2 });
    expect((await admin.get(`/api/deals/${bare.id}`)).json).toMatchObject({ version: 1, name: 'Bare', stage: 'new' });
  });

  it('takes 1,000 cells at once and refuses more', async () => {
    const companies = await Promise.all(Array.from({ length: 250 }, (_, i) => company(`Mass ${i}`)));
    const changes: CellChange[] = companies.flatMap((c, i) =>
      (['name', 'industry', 'taxId', 'size'] as const).map((field) => ({ type: 'company', id: c.id, version: 1, field, value: field === 'size' ? i : `${field} ${i}` })),
    );
    const results = await bulk(changes);
    expect(results).toHaveLength(1000);
    expect(results.every((r) => r.status === 'ok' && r.version === 2)).toBe(true);
    expect((await user.get(`/api/companies/${companies[7].id}`)).json).toMatchObject({ version: 2, name: 'name 7', industry: 'industry 7', taxId: 'taxId 7', size: 7 });
    const tooMany = await user.post('/api/bulk', { changes: [...changes, changes[0]] });
    expect(tooMany.status).toBe(400);
    expect(ApiErrorBody.parse(tooMany.json).error.issues?.[0].path).toBe('changes');
  });
});

import { describe, expect, it } from 'vitest';
import { createApiClient } from '../api/api-client.ts';
import { jsonResponse, scriptedFetch } from '../api/scripted-fetch.ts';
import { uiRecordType } from '../records/record-types.ts';
import { allGridFields } from '../records/grid-fields.ts';
import { cardRecordsApi } from './card-record.ts';
import { historyLines } from './history-lines.ts';
import { linksFor, relatedFilter, relatedListsOf } from './related-lists.ts';
import { saveFields } from './save-fields.ts';

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAA';
const meta = { createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u', owner: 'u' };
const companies = uiRecordType('companies')!;

function records(...answers: Response[]) {
  const { fetch, calls } = scriptedFetch(...answers);
  return { records: cardRecordsApi(createApiClient({ baseUrl: '', token: async () => 't', fetch }), companies), calls };
}

describe('saveFields', () => {
  it('saves at the version seen and answers the saved record', async () => {
    const { records: api, calls } = records(jsonResponse(200, { id: ID, version: 3, name: 'Acme', industry: 'Space', ...meta }));
    const outcome = await saveFields(api, { id: ID, version: 2 }, { industry: 'Space' }, { industry: 'Industry' });
    expect(outcome).toMatchObject({ status: 'saved', record: { version: 3, industry: 'Space' } });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ version: 2, fields: { industry: 'Space' } });
  });

  it('names the field of a refusal, and brings the current record with a conflict', async () => {
    const { records: api } = records(
      jsonResponse(400, { error: { code: 'ValidationFailed', message: 'bad', issues: [{ path: 'fields.domain', message: 'must be a domain like example.com' }], requestId: 'r' } }),
      jsonResponse(400, { error: { code: 'ValidationFailed', message: 'bad', issues: [{ path: 'fields.stage', message: 'Invalid input: expected string, received null' }], requestId: 'r' } }),
      jsonResponse(409, { error: { code: 'VersionConflict', message: 'stale', current: { id: ID, version: 5, name: 'Acme', industry: 'Rockets', ...meta }, requestId: 'r' } }),
    );
    expect(await saveFields(api, { id: ID, version: 2 }, { domain: 'x' }, { domain: 'Domain' })).toEqual({ status: 'invalid', message: 'Domain must be a domain like example.com.' });
    expect(await saveFields(api, { id: ID, version: 2 }, { stage: null }, { stage: 'Stage' })).toEqual({ status: 'invalid', message: 'Stage: Invalid input: expected string, received null' });
    expect(await saveFields(api, { id: ID, version: 2 }, { industry: 'Space' }, { industry: 'Industry' })).toMatchObject({ status: 'conflict', record: { version: 5, industry: 'Rockets' } });
  });

  it('names every field a refusal names: a stage entered without its required fields', async () => {
    const issues = [
      { path: 'fields.amount', message: 'is required to enter Proposal' },
      { path: 'fields.expectedClose', message: 'is required to enter Proposal' },
    ];
    const { records: api } = records(jsonResponse(400, { error: { code: 'ValidationFailed', message: 'bad', issues, requestId: 'r' } }));
    expect(await saveFields(api, { id: ID, version: 2 }, { stage: 'proposal' }, { stage: 'Stage' })).toEqual({
      status: 'invalid',
      message: 'Amount is required to enter Proposal. Expected close is required to enter Proposal.',
    });
  });
});

describe('relatedListsOf', () => {
  it('lists every type whose relation points at the record, with the filter selecting its records', () => {
    const lists = relatedListsOf(companies);
    expect(lists.map((l) => [l.type.info.plural, l.field])).toEqual([
      ['contacts', 'companyIds'],
      ['deals', 'companyId'],
      ['activities', 'companyId'],
    ]);
    expect(relatedFilter(lists[0], ID)).toEqual({ field: 'companyIds', op: 'eq', value: ID });
    // Products are named only inside deal lines (lines.productId), which views cannot filter on.
    expect(relatedListsOf(uiRecordType('products')!)).toEqual([]);
  });
});

describe('linksFor', () => {
  const C1 = '01ARZ3NDEKTSV4RRFFQ69G5FC1';
  const C2 = '01ARZ3NDEKTSV4RRFFQ69G5FC2';
  const listOf = (of: string, plural: string) => relatedListsOf(uiRecordType(of)!).find((list) => list.type.info.plural === plural)!;

  it('links a new record to the card\'s record, as a list where the field holds many', () => {
    expect(linksFor(listOf('companies', 'contacts'), companies, { id: ID })).toEqual({ companyIds: [ID] });
    expect(linksFor(listOf('companies', 'deals'), companies, { id: ID })).toEqual({ companyId: ID });
  });

  it('links the record\'s one company too, and none when it has several', () => {
    const deals = uiRecordType('deals')!;
    const contacts = uiRecordType('contacts')!;
    expect(linksFor(listOf('deals', 'activities'), deals, { id: ID, companyId: C1 })).toEqual({ dealId: ID, companyId: C1 });
    expect(linksFor(listOf('contacts', 'deals'), contacts, { id: ID, companyIds: [C1] })).toEqual({ contactIds: [ID], companyId: C1 });
    expect(linksFor(listOf('contacts', 'activities'), contacts, { id: ID, companyIds: [C1, C2] })).toEqual({ contactId: ID });
    expect(linksFor(listOf('deals', 'activities'), deals, { id: ID })).toEqual({ dealId: ID });
  });
});

describe('historyLines', () => {
  it('lists changes newest first with labels and values as cells show them; unknown fields keep their key', () => {
    const fields = allGridFields(companies.info, []);
    const lines = historyLines(
      [
        { version: 1, action: 'created', at: '2026-01-01T00:00:00.000Z', by: 'u', changes: [{ field: 'name', old: null, new: 'Acme' }] },
        { version: 2, action: 'updated', at: '2026-01-02T00:00:00.000Z', by: 'v', changes: [{ field: 'emails', old: null, new: ['a@x.example', 'b@x.example'] }, { field: 'cf_gone', old: 1, new: 2 }] },
      ],
      fields,
    );
    expect(lines.map((l) => l.version)).toEqual([2, 1]);
    expect(lines[0].changes).toEqual([
      { field: 'emails', label: 'Emails', old: '', new: 'a@x.example; b@x.example' },
      { field: 'cf_gone', label: 'cf_gone', old: '1', new: '2' },
    ]);
  });
});

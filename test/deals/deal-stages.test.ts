/**
 * A deal's stage is one of its pipeline's stages, known to the server: a new deal starts in the
 * first, a stage named by label or in another case is stored by key (through POST, PATCH and a
 * paste through POST /api/bulk alike), anything else is refused naming the field, and a deal
 * holding a value stored before stages were known can still be changed otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BulkResponse } from '../../functions/contracts/bulk.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { DEFAULT_PIPELINE } from '../../functions/contracts/deal-stages.ts';
import { TABLE } from '../../infra/app-resources.ts';
import { clientsFor } from '../support/dynamo.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

const TENANT = 'deal-stages';
let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf(TENANT);
});
afterAll(() => cloud?.stop());

async function deal(fields: Record<string, unknown>) {
  const response = await user.post('/api/deals', fields);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number; stage?: string; [field: string]: unknown };
}

const issuesOf = (json: unknown) => ApiErrorBody.parse(json).error.issues ?? [];
const ALL_STAGES = 'must be one of New, Qualified, Proposal, Negotiation, Won, Lost';

describe('deal stages', () => {
  it('starts a new deal in the pipeline\'s first stage', async () => {
    expect(DEFAULT_PIPELINE.stages[0].key).toBe('new');
    const created = await deal({ name: 'No stage given' });
    expect(created.stage).toBe('new');
    expect((await user.get(`/api/deals/${created.id}`)).json.stage).toBe('new');
    // A stage given is kept; a lead converted into a deal starts in the first stage too.
    expect((await deal({ name: 'Given', stage: 'proposal' })).stage).toBe('proposal');
    const lead = (await user.post('/api/leads', { name: 'Ada Lovelace', companyName: 'Engines Ltd' })).json;
    const converted = await user.post(`/api/leads/${lead.id}/convert`, { version: lead.version, deal: {} });
    expect(converted.status, converted.text).toBe(201);
    expect(converted.json.deal.stage).toBe('new');
  });

  it('stores a stage named by label or in any case by its key, and refuses any other naming fields.stage', async () => {
    expect((await deal({ name: 'By label', stage: 'Negotiation' })).stage).toBe('negotiation');
    expect((await deal({ name: 'Shouted', stage: '  WON ' })).stage).toBe('won');

    const unknown = await user.post('/api/deals', { name: 'Unknown', stage: 'Maybe' });
    expect(unknown.status).toBe(400);
    expect(issuesOf(unknown.json)).toEqual([{ path: 'stage', message: ALL_STAGES, value: 'Maybe' }]);

    const moving = await deal({ name: 'Moving' });
    const refused = await user.patch(`/api/deals/${moving.id}`, { version: 1, fields: { stage: 'closed' } });
    expect(refused.status).toBe(400);
    expect(issuesOf(refused.json)).toEqual([{ path: 'fields.stage', message: ALL_STAGES, value: 'closed' }]);
    expect((await user.get(`/api/deals/${moving.id}`)).json).toMatchObject({ stage: 'new', version: 1 });

    const moved = await user.patch(`/api/deals/${moving.id}`, { version: 1, fields: { stage: 'Lost', lossReason: 'Price' } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ stage: 'lost', version: 2 });
  });

  it('reads a pasted stage through POST /api/bulk the same way, refusing an unknown one on its cell', async () => {
    const deals = await Promise.all(['One', 'Two', 'Three', 'Four'].map((name) => deal({ name })));
    const pasted = ['won', 'WON', ' Proposal ', 'Closed won'];
    const response = await user.post('/api/bulk', { changes: deals.map((d, i) => ({ type: 'deal', id: d.id, version: d.version, field: 'stage', value: pasted[i] })) });
    expect(response.status, response.text).toBe(200);
    const results = BulkResponse.parse(response.json).results;
    expect(results.slice(0, 3)).toEqual([
      { status: 'ok', version: 2 },
      { status: 'ok', version: 2 },
      { status: 'ok', version: 2 },
    ]);
    expect(results[3]).toEqual({ status: 'invalid', reason: `stage: ${ALL_STAGES}` });
    const stages = await Promise.all(deals.map(async (d) => (await user.get(`/api/deals/${d.id}`)).json.stage));
    expect(stages).toEqual(['won', 'won', 'proposal', 'new']);
  });

  it('knows the one pipeline by key or label and refuses another', async () => {
    expect((await deal({ name: 'In sales', pipeline: 'Sales' })).pipeline).toBe('default');
    const other = await user.post('/api/deals', { name: 'Renewal', pipeline: 'Renewals' });
    expect(other.status).toBe(400);
    expect(issuesOf(other.json)).toEqual([{ path: 'pipeline', message: 'must be one of Sales', value: 'Renewals' }]);
  });

  it('leaves a stage stored before stages were known alone until the stage itself is written', async () => {
    const old = await deal({ name: 'Imported long ago' });
    // What deals stored while the stage was free text: `Lost` typed in the grid, `open` from a file.
    const { doc } = clientsFor(cloud.dynamoEndpoint);
    await doc.send(
      new UpdateCommand({ TableName: TABLE.name, Key: { pk: `T#${TENANT}#DEAL#${old.id}`, sk: 'RECORD' }, UpdateExpression: 'SET stage = :odd', ExpressionAttributeValues: { ':odd': 'open' } }),
    );
    const renamed = await user.patch(`/api/deals/${old.id}`, { version: 1, fields: { name: 'Imported long ago (renamed)' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ stage: 'open', version: 2 });
    const moved = await user.patch(`/api/deals/${old.id}`, { version: 2, fields: { stage: 'qualified' } });
    expect(moved.json).toMatchObject({ stage: 'qualified', version: 3 });
  });
});

/**
 * A stage that starts a process: a deal entering the pipeline's Won stage starts a quick sale for
 * its lines, once per move (the table's stream hands the move to the `stage entry` consumer), as
 * the person who moved it; the sale writes the deal's lines (the same) and never moves it, so
 * nothing loops. Imported moves start nothing; a deal that cannot start one is left where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import Papa from 'papaparse';
import { AdjustableClock } from '../../local/states/clock.ts';
import { DEFAULT_PIPELINE } from '../../functions/contracts/deal-stages.ts';
import type { StageMove } from '../../functions/contracts/stage-moves.ts';
import { instanceAt, line, startSalesCloud, type SalesCloud } from '../support/quick-sales.ts';

const TENANT = 'stage-entry';
let sales: SalesCloud;

beforeAll(async () => {
  sales = await startSalesCloud(TENANT, new AdjustableClock('2026-12-04T14:00:00Z'));
  const withHook = { ...DEFAULT_PIPELINE, stages: DEFAULT_PIPELINE.stages.map((stage) => (stage.key === 'won' ? { ...stage, onEnter: { process: 'quick-sale' } } : stage)) };
  const { version: _version, ...fields } = withHook;
  const saved = await sales.sales.admin.put('/api/pipelines/default', { version: 0, pipeline: fields });
  expect(saved.status, saved.text).toBe(200);
}, 120_000);
afterAll(() => sales?.stop());

const admin = () => sales.sales.admin;

async function dealOf(fields: Record<string, unknown>) {
  const created = await admin().post('/api/deals', fields);
  expect(created.status, created.text).toBe(201);
  return created.json as { id: string; version: number };
}

async function won(deal: { id: string; version: number }) {
  const moved = await admin().patch(`/api/deals/${deal.id}`, { version: deal.version, fields: { stage: 'won' } });
  expect(moved.status, moved.text).toBe(200);
  return moved.json as { id: string; version: number };
}

/** The deal's moves, oldest first, as the reports read them. */
async function movesOf(deal: string): Promise<StageMove[]> {
  const { queryStageMoves } = await import('../../functions/deals/stage-moves.ts');
  const moves: StageMove[] = [];
  for await (const page of queryStageMoves(TENANT)) moves.push(...page.filter((move) => move.deal === deal));
  return moves;
}

const instancesOf = async (deal: string) => (await admin().get(`/api/processes/instances?subject=deal:${deal}&limit=100`)).json.items as Array<{ id: string; step: string }>;

/** The move as the table's stream hands it to its consumers (an INSERT of the move's item). */
async function delivered(move: StageMove): Promise<void> {
  const { stageEntryStep } = await import('../../functions/pipelines/stage-entry.ts');
  const { stageMoveSk } = await import('../../functions/deals/stage-moves.ts');
  const { ITEM_KINDS } = await import('../../functions/store/item-kinds.ts');
  const item = { pk: ITEM_KINDS.stageMoves.pk(TENANT), sk: stageMoveSk(move), tenant: TENANT, ...move };
  const record = { eventName: 'INSERT', dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item, { removeUndefinedValues: true }) } } as unknown as DynamoDBRecord;
  await stageEntryStep(record);
}

describe('a stage\'s process on entry', () => {
  it('starts one quick sale for the deal won, which never moves it; a move delivered again starts no second', async () => {
    const company = await admin().post('/api/companies', { name: 'Harbour Ltd', address: { street: '1 Harbour Road', city: 'Portsmouth', postalCode: 'PO1 1AA', country: 'GB' } });
    const deal = await won(await dealOf({ name: 'Won with lines', companyId: company.json.id, lines: [line('Widget', 2)], expectedClose: '2027-01-15' }));
    await expect.poll(() => instancesOf(deal.id), { timeout: 20_000 }).toHaveLength(1);
    const [instance] = await instancesOf(deal.id);
    // Waiting at fulfilment: the sale has written its order to the deal (the lines it has), its first step.
    await instanceAt(admin(), instance.id, { step: 'Fulfil' });
    const moves = await movesOf(deal.id);
    expect(moves.map(({ from, to, process }) => ({ from, to, process }))).toEqual([
      { from: null, to: 'new', process: undefined },
      { from: 'new', to: 'won', process: 'quick-sale' },
    ]);
    expect((await admin().get(`/api/deals/${deal.id}`)).json.version).toBe(deal.version);
    const detail = (await admin().get(`/api/processes/instances/${instance.id}`)).json;
    expect(detail).toMatchObject({ process: 'quick-sale', subject: { type: 'deal', id: deal.id } });

    // The same move delivered again (a retried stream batch): the same execution, no second sale.
    await delivered(moves[1]);
    expect(await instancesOf(deal.id)).toHaveLength(1);
  });

  it('starts nothing for a deal that cannot start the sale (no lines), and leaves it won', async () => {
    const deal = await won(await dealOf({ name: 'Won without lines' }));
    const [, move] = await movesOf(deal.id);
    expect(move).toMatchObject({ to: 'won', process: 'quick-sale' });
    // Delivered here too, after the stream's own delivery or before it: neither starts one, neither fails.
    await delivered(move);
    expect(await instancesOf(deal.id)).toEqual([]);
    expect((await admin().get(`/api/deals/${deal.id}`)).json).toMatchObject({ stage: 'won', version: deal.version });
  });

  it('starts nothing for an imported move into the stage', async () => {
    const deal = await dealOf({ name: 'Won long ago', lines: [line('Widget', 1)] });
    const file = Papa.unparse([['deal', 'to', 'at'], [deal.id, 'new', '2025-01-02'], [deal.id, 'won', '2025-02-03']], { newline: '\r\n' });
    const imported = await admin().request('POST', '/api/imports?type=stage-moves', file, { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).toBe(200);
    const moves = await movesOf(deal.id);
    expect(moves.map(({ to, source, process }) => ({ to, source, process }))).toEqual([
      { to: 'new', source: 'import', process: undefined },
      { to: 'won', source: 'import', process: undefined },
    ]);
    await delivered(moves[1]);
    expect(await instancesOf(deal.id)).toEqual([]);
  });
});

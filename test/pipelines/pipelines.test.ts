/**
 * Pipelines as the tenant's data (GET/POST/PUT/DELETE /api/pipelines and a stage's merge), the one
 * stage rule on every way a deal is written (POST, PATCH, a board drag, a paste through
 * /api/bulk, an import), and the exact stage history: a move written in the deal's own
 * transaction, never without it, never twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { BulkResponse } from '../../functions/contracts/bulk.ts';
import { DEFAULT_PIPELINE, MAX_LOSS_REASONS, MAX_PIPELINES, MAX_STAGES, PipelineList, type Pipeline } from '../../functions/contracts/deal-stages.ts';
import { StageMoveImport, type StageMove } from '../../functions/contracts/stage-moves.ts';
import { startTestCloud, type ApiClient, type ApiResponse, type TestCloud } from '../support/cloud.ts';
import { OWN_EVERYTHING, person, withCustomRole, type Person } from '../support/people.ts';
import { pipelineOf } from '../support/pipelines.ts';

const TENANT = 'funnel';
let cloud: TestCloud;
let admin: ApiClient;
let adminSub: string;
let rep: Person;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT);
  adminSub = (await admin.get('/api/me')).json.sub;
  rep = await person(cloud, TENANT, 'sales-representative');
}, 60_000);
afterAll(() => cloud?.stop());

/** Every stage move of the tenant, oldest first, as the reports read them (deals/stage-moves.ts). */
async function movesOf(tenant = TENANT, range: { from?: string; to?: string } = {}): Promise<StageMove[]> {
  // Loaded once the cloud has set the table's name and endpoint (the domain's table client reads them).
  const { queryStageMoves } = await import('../../functions/deals/stage-moves.ts');
  const moves: StageMove[] = [];
  for await (const page of queryStageMoves(tenant, range)) moves.push(...page);
  return moves;
}
const movesOfDeal = async (deal: string) => (await movesOf()).filter((move) => move.deal === deal);
/** What a move says of where the deal went, for comparing sequences. */
const path = (moves: StageMove[]) => moves.map(({ fromPipeline, from, to, source }) => `${fromPipeline ? `${fromPipeline}:` : ''}${from ?? '∅'}>${to} (${source})`);

const issuesOf = (response: ApiResponse) => ApiErrorBody.parse(response.json).error.issues ?? [];
const expectStatus = (response: ApiResponse, status: number) => expect(response.status, response.text).toBe(status);

async function created(client: ApiClient, fields: Record<string, unknown>) {
  const response = await client.post('/api/deals', fields);
  expectStatus(response, 201);
  return response.json as { id: string; version: number; [field: string]: unknown };
}

async function addPipeline(fields: ReturnType<typeof pipelineOf>): Promise<Pipeline> {
  const response = await admin.post('/api/pipelines', fields);
  expectStatus(response, 201);
  return response.json;
}

const pipelines = async (client = admin) => PipelineList.parse((await client.get('/api/pipelines')).json).items;

describe('pipelines as the tenant\'s data', () => {
  it('starts a tenant with the seed at version 0, and keeps it beside the first pipeline added', async () => {
    const fresh = await cloud.userOf('funnel-fresh');
    expect(await pipelines(fresh)).toEqual([DEFAULT_PIPELINE]);
    const added = await fresh.post('/api/pipelines', pipelineOf('renewals', { label: 'Renewals' }));
    expectStatus(added, 201);
    expect(added.json).toMatchObject({ key: 'renewals', version: 1 });
    expect((await pipelines(fresh)).map(({ key, version }) => [key, version])).toEqual([
      ['default', 0],
      ['renewals', 1],
    ]);
    // Any user of the tenant reads them (the board needs them); only an administrator writes.
    const repOfFresh = await person(cloud, 'funnel-fresh', 'sales-representative');
    expect((await pipelines(repOfFresh.client)).map((p) => p.key)).toEqual(['default', 'renewals']);
    expectStatus(await repOfFresh.client.post('/api/pipelines', pipelineOf('mine')), 403);
    // Another tenant's pipeline does not exist for this one.
    expectStatus(await admin.put('/api/pipelines/renewals', { version: 1, pipeline: pipelineOf('renewals') }), 404);
    expectStatus(await admin.delete('/api/pipelines/renewals?version=1'), 404);
    expectStatus(await admin.post('/api/pipelines/renewals/stages/open_1/merge', { into: 'open_2', version: 1 }), 404);
    expect((await pipelines(fresh)).find((p) => p.key === 'renewals')).toMatchObject({ version: 1 });
  });

  it('takes a tenant\'s pipelines, stages and reasons up to their limits, and refuses one more naming the field', async () => {
    const tenant = await cloud.userOf('funnel-limits');
    const largest = pipelineOf('largest', { stages: MAX_STAGES, reasons: MAX_LOSS_REASONS });
    expectStatus(await tenant.post('/api/pipelines', largest), 201);
    expect(issuesOf(await tenant.post('/api/pipelines', pipelineOf('too_many_stages', { stages: MAX_STAGES + 1 })))).toEqual([
      { path: 'stages', message: expect.stringContaining(String(MAX_STAGES)) },
    ]);
    expect(issuesOf(await tenant.post('/api/pipelines', pipelineOf('too_many_reasons', { reasons: MAX_LOSS_REASONS + 1 })))).toEqual([
      { path: 'lossReasons', message: expect.stringContaining(String(MAX_LOSS_REASONS)) },
    ]);
    // The seed and `largest` are two: 18 more make the most a tenant has, sent at once.
    const more = await Promise.all(Array.from({ length: MAX_PIPELINES - 2 }, (_, i) => tenant.post('/api/pipelines', pipelineOf(`p_${i}`))));
    expect(more.map((response) => response.status)).toEqual(Array(MAX_PIPELINES - 2).fill(201));
    expect(await pipelines(tenant)).toHaveLength(MAX_PIPELINES);
    // One more, and copies of it at once: each refused, none stored.
    const over = await Promise.all(Array.from({ length: 3 }, (_, i) => tenant.post('/api/pipelines', pipelineOf(`over_${i}`))));
    for (const response of over) expect(issuesOf(response)).toEqual([{ path: 'key', message: `cannot be added: the tenant has ${MAX_PIPELINES} pipelines, at most ${MAX_PIPELINES}` }]);
    expect(await pipelines(tenant)).toHaveLength(MAX_PIPELINES);
    // A key taken is refused.
    expectStatus(await tenant.post('/api/pipelines', pipelineOf('p_0')), 409);
  });

  it('refuses stages read alike, and a pipeline without a won or a lost stage', async () => {
    const twins = pipelineOf('twins');
    twins.stages[1] = { ...twins.stages[1], label: 'open_1' };
    expect(issuesOf(await admin.post('/api/pipelines', twins))).toEqual([{ path: 'stages.1', message: 'reads like stage 1 (“open_1”)' }]);
    const neverWon = pipelineOf('never_won');
    neverWon.stages = neverWon.stages.filter((stage) => stage.outcome !== 'won');
    expect(issuesOf(await admin.post('/api/pipelines', neverWon))).toEqual([{ path: 'stages', message: 'needs a won stage (outcome: won)' }]);
  });

  it('replaces a pipeline over the version seen: of copies sent at once exactly one is taken, the others get 409 with it', async () => {
    await addPipeline(pipelineOf('contested'));
    const answers = await Promise.all(['A', 'B', 'C', 'D'].map((label) => admin.put('/api/pipelines/contested', { version: 1, pipeline: { ...pipelineOf('contested'), label: `Label ${label}` } })));
    const taken = answers.filter((answer) => answer.status === 200);
    expect(taken).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(3);
    for (const answer of refused) expect(ApiErrorBody.parse(answer.json).error.current).toMatchObject({ key: 'contested', version: 2, label: taken[0].json.label });
    expect((await pipelines()).find((p) => p.key === 'contested')).toMatchObject({ version: 2, label: taken[0].json.label });
    // The key is the path's and does not change.
    expect(issuesOf(await admin.put('/api/pipelines/contested', { version: 2, pipeline: pipelineOf('renamed') }))).toEqual([
      { path: 'pipeline.key', message: 'is the pipeline\'s key (contested), which does not change', value: 'renamed' },
    ]);
  });

  it('keeps a stage deals are in: a PUT dropping it is refused naming it and its count; deleting the pipeline too, until it is empty', async () => {
    await addPipeline(pipelineOf('busy'));
    for (const name of ['Busy one', 'Busy two']) await created(admin, { name, pipeline: 'busy', stage: 'open_2' });
    const dropped = pipelineOf('busy');
    dropped.stages = dropped.stages.filter((stage) => stage.key !== 'open_2');
    const refused = await admin.put('/api/pipelines/busy', { version: 1, pipeline: dropped });
    expectStatus(refused, 409);
    expect(ApiErrorBody.parse(refused.json).error).toMatchObject({ code: 'InUse', issues: [{ path: 'pipeline.stages', message: 'cannot drop stage Open 2: 2 deals are in it; merge it into another stage', value: 'open_2' }] });
    const deleting = await admin.delete('/api/pipelines/busy?version=1');
    expectStatus(deleting, 409);
    expect(issuesOf(deleting)).toEqual([{ path: 'key', message: 'cannot delete pipeline Pipeline busy: 2 deals are in it; move them to another pipeline first', value: 'busy' }]);
    expect((await pipelines()).find((p) => p.key === 'busy')).toMatchObject({ version: 1, stages: pipelineOf('busy').stages.map((stage) => expect.objectContaining({ key: stage.key })) });

    // An empty pipeline goes; the tenant's last one never does.
    await addPipeline(pipelineOf('empty'));
    expectStatus(await admin.delete('/api/pipelines/empty?version=1'), 204);
    expect((await pipelines()).map((p) => p.key)).not.toContain('empty');
    const lone = await cloud.userOf('funnel-lone');
    expect(issuesOf(await lone.delete('/api/pipelines/default?version=0'))).toEqual([{ path: 'key', message: 'is the tenant\'s only pipeline: a tenant has at least one', value: 'default' }]);
  });
});

describe('the stage rule on every write of a deal', () => {
  beforeAll(async () => {
    const fields = pipelineOf('quotes', { label: 'Quotes' });
    fields.stages[1] = { ...fields.stages[1], requiredFields: ['amount', 'expectedClose'] };
    await addPipeline(fields);
  });

  it('refuses an unknown stage, another pipeline\'s stage, missing required fields and a loss without reason, writing nothing', async () => {
    const deal = await created(admin, { name: 'Ruled', pipeline: 'quotes' });
    expect(deal).toMatchObject({ pipeline: 'quotes', stage: 'open_1' });
    const before = await movesOfDeal(deal.id);
    const all = (await movesOf()).length;
    const refusals: Array<[Record<string, unknown>, unknown[]]> = [
      [{ stage: 'maybe' }, [{ path: 'fields.stage', message: 'must be one of Open 1, Open 2, Won, Lost', value: 'maybe' }]],
      [{ stage: 'negotiation' }, [{ path: 'fields.stage', message: 'must be one of Open 1, Open 2, Won, Lost', value: 'negotiation' }]],
      [{ stage: 'open_2', amount: { amount: '10', currency: 'EUR' } }, [{ path: 'fields.expectedClose', message: 'is required to enter Open 2' }]],
      [{ stage: 'lost' }, [{ path: 'fields.lossReason', message: 'is required to enter Lost: one of Reason 1, Reason 2' }]],
      [{ stage: 'lost', lossReason: 'price' }, [{ path: 'fields.lossReason', message: 'is no loss reason of the pipeline: one of Reason 1, Reason 2', value: 'price' }]],
      [{ lossComment: 'Too dear' }, [{ path: 'fields.lossComment', message: 'is only for a lost deal (stage Open 1 is not lost)', value: 'Too dear' }]],
      [{ stage: 'lost', lossReason: 'reason_1', lossComment: 'x'.repeat(1_001) }, [expect.objectContaining({ path: 'fields.lossComment' })]],
    ];
    for (const [fields, issues] of refusals) {
      const response = await admin.patch(`/api/deals/${deal.id}`, { version: 1, fields });
      expectStatus(response, 400);
      expect(issuesOf(response), JSON.stringify(fields)).toEqual(issues);
    }
    // Created in a stage it may not enter: not created.
    expect(issuesOf(await admin.post('/api/deals', { name: 'Lost at birth', stage: 'lost' }))).toEqual([
      { path: 'lossReason', message: 'is required to enter Lost: one of Price, Competitor, No budget, No decision, Timing, Other' },
    ]);
    // Nothing half-written: the deal and its history as they were.
    expect((await admin.get(`/api/deals/${deal.id}`)).json).toMatchObject({ version: 1, stage: 'open_1' });
    expect(await movesOfDeal(deal.id)).toEqual(before);
    expect(await movesOf()).toHaveLength(all);

    // With what the stages ask for, it goes; the loss comment at its limit.
    expectStatus(await admin.patch(`/api/deals/${deal.id}`, { version: 1, fields: { stage: 'Open 2', amount: { amount: '10', currency: 'EUR' }, expectedClose: '2026-06-30' } }), 200);
    const lost = await admin.patch(`/api/deals/${deal.id}`, { version: 2, fields: { stage: 'lost', lossReason: 'Reason 2', lossComment: 'x'.repeat(1_000) } });
    expectStatus(lost, 200);
    expect(lost.json).toMatchObject({ stage: 'lost', lossReason: 'reason_2' });
    expect(path(await movesOfDeal(deal.id))).toEqual(['∅>open_1 (create)', 'open_1>open_2 (update)', 'open_2>lost (update)']);
  });

  it('reads a paste through /api/bulk by the same rule, refusing each cell with its reason', async () => {
    const deals = await Promise.all(['P1', 'P2', 'P3'].map((name) => created(admin, { name })));
    const response = await admin.post('/api/bulk', {
      changes: [
        { type: 'deal', id: deals[0].id, version: 1, field: 'stage', value: 'Won' },
        { type: 'deal', id: deals[1].id, version: 1, field: 'stage', value: 'Lost' },
        { type: 'deal', id: deals[2].id, version: 1, field: 'stage', value: 'open_1' },
      ],
    });
    expectStatus(response, 200);
    const results = BulkResponse.parse(response.json).results;
    expect(results[0]).toEqual({ status: 'ok', version: 2 });
    expect(results[1]).toEqual({ status: 'invalid', reason: expect.stringMatching(/^lossReason: is required to enter Lost/) });
    expect(results[2]).toEqual({ status: 'invalid', reason: 'stage: must be one of New, Qualified, Proposal, Negotiation, Won, Lost' });
    expect(path(await movesOfDeal(deals[0].id))).toEqual(['∅>new (create)', 'new>won (bulk)']);
    expect(path(await movesOfDeal(deals[1].id))).toEqual(['∅>new (create)']);
  });

  it('lets no one move a deal they may not see (another\'s, out of scope) or of another tenant', async () => {
    const others = await created(admin, { name: 'Not the rep\'s' });
    expectStatus(await rep.client.patch(`/api/deals/${others.id}`, { version: 1, fields: { stage: 'won' } }), 404);
    const stranger = await cloud.userOf('funnel-stranger');
    expectStatus(await stranger.patch(`/api/deals/${others.id}`, { version: 1, fields: { stage: 'won' } }), 404);
    expect(path(await movesOfDeal(others.id))).toEqual(['∅>new (create)']);
    expect(await movesOf('funnel-stranger')).toEqual([]);
  });
});

describe('the stage history, exact', () => {
  it('holds one move per change of stage or pipeline, in order, from every way a deal is written, and none for anything else', async () => {
    await addPipeline(pipelineOf('second'));
    const deal = await created(admin, { name: 'Travelling', amount: { amount: '1000', currency: 'EUR' } });
    const steps: Array<[Record<string, unknown>, string?]> = [
      [{ stage: 'qualified', probability: 40 }],
      [{ name: 'Travelling (renamed)' }], // no move
      [{ stage: 'Proposal' }, 'board'],
      [{ stage: 'proposal', amount: { amount: '1200', currency: 'EUR' } }], // same stage: no move
      [{ pipeline: 'second', stage: 'open_1' }],
      [{ stage: 'lost', lossReason: 'reason_1', lossComment: 'Went quiet' }],
      [{ stage: 'open_2' }],
    ];
    let version = deal.version;
    for (const [fields, source] of steps) {
      const response = await admin.request('PATCH', `/api/deals/${deal.id}${source ? `?source=${source}` : ''}`, { version, fields });
      expectStatus(response, 200);
      version = response.json.version;
    }
    // Trashing and restoring a deal are no moves.
    expectStatus(await admin.delete(`/api/deals/${deal.id}?version=${version}`), 204);
    expectStatus(await admin.request('POST', `/api/deals/${deal.id}/restore?version=${version + 1}`, {}), 200);

    const moves = await movesOfDeal(deal.id);
    expect(path(moves)).toEqual(['∅>new (create)', 'new>qualified (update)', 'qualified>proposal (board)', 'default:proposal>open_1 (update)', 'open_1>lost (update)', 'lost>open_2 (update)']);
    expect(moves.map((move) => move.dealVersion)).toEqual([1, 2, 4, 6, 7, 8]);
    expect(moves.map((move) => move.amount)).toEqual([1000, 1000, 1000, 1200, 1200, 1200]);
    expect(moves.map((move) => move.probability)).toEqual([10, 40, 40, 40, 0, 40]);
    expect(moves[4]).toMatchObject({ pipeline: 'second', lossReason: 'reason_1', lossComment: 'Went quiet', by: adminSub, owner: adminSub, currency: 'EUR' });
    // Reopened: its loss is the move's, no longer the deal's.
    const now = (await admin.get(`/api/deals/${deal.id}`)).json;
    expect(now).toMatchObject({ stage: 'open_2', pipeline: 'second' });
    expect(now).not.toHaveProperty('lossReason');
    // The deal card reads them a page at a time; someone who may not see the deal is told it does not exist.
    const first = await admin.get(`/api/deals/${deal.id}/stage-moves?limit=4`);
    expectStatus(first, 200);
    expect(first.json.items).toEqual(moves.slice(0, 4));
    const rest = await admin.get(`/api/deals/${deal.id}/stage-moves?limit=4&after=${encodeURIComponent(first.json.nextCursor)}`);
    expect(rest.json).toEqual({ items: moves.slice(4) });
    expectStatus(await rep.client.get(`/api/deals/${deal.id}/stage-moves`), 404);
    // Time ranges of the reports: half-open, by the moves' own times.
    const cut = moves[3].at;
    expect((await movesOf(TENANT, { from: cut })).filter((move) => move.deal === deal.id)).toHaveLength(3);
    expect((await movesOf(TENANT, { to: cut })).filter((move) => move.deal === deal.id)).toHaveLength(3);
  });

  it('writes one move for one of concurrent changes of a version, and none for those refused', async () => {
    const deal = await created(admin, { name: 'Raced' });
    const answers = await Promise.all(['qualified', 'proposal', 'negotiation', 'won'].map((stage) => admin.patch(`/api/deals/${deal.id}`, { version: 1, fields: { stage } })));
    const won = answers.filter((answer) => answer.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(3);
    expect(path(await movesOfDeal(deal.id))).toEqual(['∅>new (create)', `new>${won[0].json.stage} (update)`]);
  });

  it('keeps each imported deal\'s moves (its creation\'s, in its stage) and each moved one\'s', async () => {
    const file = Papa.unparse([['Name', 'Stage'], ['Imported new', 'Qualified'], ['Imported won', 'won']], { newline: '\r\n' });
    const response = await admin.request('POST', '/api/imports?type=deals', file, { 'content-type': 'text/csv' });
    expectStatus(response, 201);
    const deals = (await admin.get('/api/deals?limit=1000')).json.items as Array<{ id: string; name: string }>;
    const id = (name: string) => deals.find((deal) => deal.name === name)!.id;
    expect(path(await movesOfDeal(id('Imported new')))).toEqual(['∅>qualified (import)']);
    expect(path(await movesOfDeal(id('Imported won')))).toEqual(['∅>won (import)']);
  });
});

describe('importing a stage history', () => {
  const history = (rows: string[][]) => Papa.unparse([['deal', 'from', 'to', 'at', 'by', 'amount', 'lossReason'], ...rows], { newline: '\r\n' });
  const send = (file: string, client = admin) => client.request('POST', '/api/imports?type=stage-moves', file, { 'content-type': 'text/csv' });

  it('writes each deal\'s moves with their own times, ending where its last one does, and nothing twice', async () => {
    const fresh = await created(admin, { name: 'History fresh' });
    const moved = await created(admin, { name: 'History moved' });
    expectStatus(await admin.patch(`/api/deals/${moved.id}`, { version: 1, fields: { stage: 'qualified' } }), 200);
    const email = (await admin.get('/api/me')).json.email as string;
    const file = history([
      ['History fresh', '', 'New', '2025-01-10', email, '500', ''],
      ['History fresh', 'new', 'proposal', '2025-02-01T09:30:00Z', '', '650', ''],
      [fresh.id, 'proposal', 'lost', '2025-03-15', '', '650', 'Competitor'],
      [moved.id, '', 'won', '2025-04-01', '', '', ''],
    ]);
    const answer = await send(file);
    expectStatus(answer, 200);
    expect(StageMoveImport.parse(answer.json)).toEqual({ moves: 4, deals: 2, known: 0, refused: [], later: 0 });

    // The fresh deal's history is the file's (its creation's move replaced); it ends lost, with the reason.
    const freshMoves = await movesOfDeal(fresh.id);
    expect(freshMoves.map(({ from, to, at, amount, by, source }) => ({ from, to, at, amount, by, source }))).toEqual([
      { from: null, to: 'new', at: '2025-01-10T00:00:00.000Z', amount: 500, by: adminSub, source: 'import' },
      { from: 'new', to: 'proposal', at: '2025-02-01T09:30:00.000Z', amount: 650, by: adminSub, source: 'import' },
      { from: 'proposal', to: 'lost', at: '2025-03-15T00:00:00.000Z', amount: 650, by: adminSub, source: 'import' },
    ]);
    expect(freshMoves[2].lossReason).toBe('competitor');
    expect((await admin.get(`/api/deals/${fresh.id}`)).json).toMatchObject({ stage: 'lost', lossReason: 'competitor', version: 2 });
    // A deal changed since its creation keeps its moves, the file's among them.
    expect(path(await movesOfDeal(moved.id))).toEqual(['∅>won (import)', '∅>new (create)', 'new>qualified (update)']);
    expect((await admin.get(`/api/deals/${moved.id}`)).json).toMatchObject({ stage: 'won' });

    // The same file again: every move known, no deal changed.
    const again = await send(file);
    expect(StageMoveImport.parse(again.json)).toEqual({ moves: 0, deals: 0, known: 4, refused: [], later: 0 });
    expect(await movesOfDeal(fresh.id)).toEqual(freshMoves);
    expect((await admin.get(`/api/deals/${fresh.id}`)).json.version).toBe(2);
  });

  it('refuses a deal with a bad row whole, naming line and column, and imports the others', async () => {
    const good = await created(admin, { name: 'History good' });
    const bad = await created(admin, { name: 'History bad' });
    const answer = await send(
      history([
        [good.id, '', 'qualified', '2025-05-01', '', '', ''],
        [bad.id, '', 'qualified', '2025-05-01', '', '', ''],
        [bad.id, 'qualified', 'lost', '2025-05-02', '', '', ''],
        [bad.id, '', 'won', 'yesterday', 'nobody@nowhere.example', 'lots', ''],
        ['No such deal', '', 'won', '2025-05-02', '', '', ''],
      ]),
    );
    expectStatus(answer, 200);
    const result = StageMoveImport.parse(answer.json);
    expect(result).toMatchObject({ moves: 1, deals: 1 });
    expect(result.refused.map(({ line, path }) => `${line} ${path}`)).toEqual(['5 at', '5 by', '5 amount', '6 deal']);
    expect(path(await movesOfDeal(good.id))).toEqual(['∅>qualified (import)']);
    expect(path(await movesOfDeal(bad.id))).toEqual(['∅>new (create)']);

    // A lost stage without its reason: the deal's rule refuses it, naming the line.
    const lostWithout = await send(history([[bad.id, '', 'lost', '2025-05-03', '', '', '']]));
    expect(StageMoveImport.parse(lostWithout.json).refused).toEqual([{ line: 2, path: 'lossReason', message: expect.stringMatching(/^is required to enter Lost/) }]);
    expect((await admin.get(`/api/deals/${bad.id}`)).json).toMatchObject({ stage: 'new', version: 1 });
  });

  it("leaves the deals past a request's work budget for the file's next sending, which writes them and nothing twice", async () => {
    // Fifteen deals of ~350 KB (two long texts: a body is at most 256 KB): a request reads at most
    // 4 MiB of records, about ten of them.
    const [dossier, annex] = await Promise.all(['History dossier', 'History annex'].map(async (label) => (await admin.post('/api/fields/deal', { label, type: 'long_text' })).json.key as string));
    const heavy = [];
    for (let i = 0; i < 15; i++) {
      const deal = await created(admin, { name: `Heavy history ${i}`, [dossier]: 'd'.repeat(200_000) });
      expectStatus(await admin.patch(`/api/deals/${deal.id}`, { version: 1, fields: { [annex]: 'a'.repeat(150_000) } }), 200);
      heavy.push(deal);
    }
    const file = history(heavy.flatMap((deal) => [[deal.id, '', 'qualified', '2025-03-01', '', '', ''], [deal.id, 'qualified', 'won', '2025-03-02', '', '', '']]));
    const first = StageMoveImport.parse((await send(file)).json);
    expect(first.later).toBeGreaterThan(0);
    expect(first).toMatchObject({ moves: 2 * (15 - first.later), deals: 15 - first.later, known: 0, refused: [] });
    const second = StageMoveImport.parse((await send(file)).json);
    expect(second).toMatchObject({ moves: 2 * first.later, deals: first.later, known: 2 * (15 - first.later), refused: [], later: 0 });
    // Changed since its creation (the annex), a deal keeps its creation's move, which came later.
    for (const deal of heavy) expect(path(await movesOfDeal(deal.id))).toEqual(['∅>qualified (import)', 'qualified>won (import)', '∅>new (create)']);
  });

  it('takes a file up to its limit of rows and refuses a larger one whole; a deal the importer may not see does not exist', async () => {
    const over = history(Array.from({ length: 5_001 }, (_, i) => ['Nobody', '', 'won', `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, '', '', '']));
    expect(issuesOf(await send(over))).toEqual([{ path: 'file', message: 'has more than 5,000 moves: split it (each deal\'s moves in one file)' }]);
    // At the limit: 100 deals with 50 moves each (a deal takes up to 90), every one written once,
    // the file sent again while deals are left `later`.
    const names = Array.from({ length: 100 }, (_, i) => `Limit ${String(i).padStart(3, '0')}`);
    expectStatus(await admin.request('POST', '/api/imports?type=deals', Papa.unparse([['Name'], ...names.map((name) => [name])], { newline: '\r\n' }), { 'content-type': 'text/csv' }), 201);
    const stages = ['new', 'qualified', 'proposal', 'negotiation'];
    const day = (step: number) => new Date(Date.UTC(2025, 0, 1 + step)).toISOString().slice(0, 10);
    const atLimit = history(names.flatMap((name) => Array.from({ length: 50 }, (_, step) => [name, '', step === 49 ? 'won' : stages[step % 4], day(step), '', '', ''])));
    const total = { moves: 0, deals: 0, sends: 0 };
    for (let later = Infinity; later > 0; ) {
      const took = await send(atLimit);
      expectStatus(took, 200);
      const answer = StageMoveImport.parse(took.json);
      expect(answer.refused).toEqual([]);
      // What an earlier sending wrote is known: every move of the file is written or known.
      expect(answer.known + answer.moves).toBe(50 * (100 - answer.later));
      total.moves += answer.moves;
      total.deals += answer.deals;
      later = answer.later;
      expect(++total.sends).toBeLessThanOrEqual(10);
    }
    expect(total).toMatchObject({ moves: 5_000, deals: 100 });
    const others = await created(admin, { name: 'Hidden from the importer' });
    const importer = await withCustomRole(cloud, TENANT, admin, OWN_EVERYTHING);
    const hidden = await send(history([[others.id, '', 'won', '2025-01-01', '', '', ''], ['Hidden from the importer', '', 'won', '2025-01-01', '', '', '']]), importer.client);
    expectStatus(hidden, 200);
    expect(StageMoveImport.parse(hidden.json).refused).toEqual([
      { line: 2, path: 'deal', message: 'is no deal you can see' },
      { line: 3, path: 'deal', message: 'no deal you can see is named "Hidden from the importer"' },
    ]);
    expect(path(await movesOfDeal(others.id))).toEqual(['∅>new (create)']);
  }, 180_000);
});

describe('merging a stage', () => {
  it('moves every deal of the stage with its move, page by page, then drops the stage', async () => {
    await addPipeline(pipelineOf('crowded'));
    // 150 deals in Open 2, imported, each with 30,000 characters of notes: 4.5 MB, more than a
    // request's work budget reads (4 MiB, records/work-budget.ts), so the merge pages by bytes
    // however fast the machine (by its 15 s alone, a quick one did it in one request). Few large
    // deals rather than many small ones: the bytes are what the budget counts.
    const DEALS = 150;
    const notes = (await admin.post('/api/fields/deal', { label: 'Merge notes', type: 'long_text' })).json.key as string;
    expect(notes).toBeTruthy();
    // In files of 30 (a body is at most 1 MiB).
    for (let start = 0; start < DEALS; start += 30) {
      const rows = [['Name', 'Pipeline', 'Stage', 'Merge notes'], ...Array.from({ length: 30 }, (_, i) => [`Crowded ${start + i}`, 'crowded', 'open_2', 'n'.repeat(30_000)])];
      const imported = await admin.request('POST', '/api/imports?type=deals', Papa.unparse(rows, { newline: '\r\n' }), { 'content-type': 'text/csv' });
      expectStatus(imported, 201);
      expect(imported.json).toMatchObject({ ok: 30 });
    }

    let answer: ApiResponse;
    let requests = 0;
    let moved = 0;
    do {
      answer = await admin.post('/api/pipelines/crowded/stages/open_2/merge', { into: 'open_1', version: 1 });
      expect([200, 202], answer.text).toContain(answer.status);
      moved += answer.json.moved;
      requests++;
    } while (answer.status === 202 && requests < 20);
    expect(answer.status).toBe(200);
    // More than one request: the work budget pages a merge of this size.
    expect(requests).toBeGreaterThan(1);
    expect(moved).toBe(DEALS);
    expect(answer.json.pipeline).toMatchObject({ key: 'crowded', version: 2 });
    expect(answer.json.pipeline.stages.map((stage: { key: string }) => stage.key)).toEqual(['open_1', 'won', 'lost']);
    const merges = (await movesOf()).filter((move) => move.pipeline === 'crowded' && move.source === 'merge');
    expect(merges).toHaveLength(DEALS);
    expect(new Set(merges.map((move) => move.deal)).size).toBe(DEALS);
    expect(merges.every((move) => move.from === 'open_2' && move.to === 'open_1' && move.by === adminSub)).toBe(true);
    // Sent again at the version it was: the stage is gone, and so is that version.
    expectStatus(await admin.post('/api/pipelines/crowded/stages/open_2/merge', { into: 'open_1', version: 1 }), 409);
  });

  it('refuses a merge into a lost stage of deals that were not lost, and one that leaves no lost stage', async () => {
    await addPipeline(pipelineOf('tidy'));
    expect(issuesOf(await admin.post('/api/pipelines/tidy/stages/open_1/merge', { into: 'lost', version: 1 }))).toEqual([
      { path: 'into', message: 'is a lost stage: deals of Open 1 would be lost without a reason', value: 'lost' },
    ]);
    expect(issuesOf(await admin.post('/api/pipelines/tidy/stages/lost/merge', { into: 'open_1', version: 1 }))).toEqual([
      { path: 'stage', message: 'cannot go: the pipeline needs a lost stage (outcome: lost)', value: 'lost' },
    ]);
  });
});

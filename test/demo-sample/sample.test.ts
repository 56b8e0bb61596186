/**
 * The demo sample's generator (pure): the same options give the same sample, its sizes, and
 * everything in it is what the API takes: records by their contracts, moves that a deal could
 * make in its pipeline, in order, in the sample's year, with a reason for every loss.
 */
import { describe, expect, it } from 'vitest';
import { CompanyFields } from '../../functions/contracts/company.ts';
import { ContactFields } from '../../functions/contracts/contact.ts';
import { DealFields, lineMinor } from '../../functions/contracts/deal.ts';
import { ProductFields } from '../../functions/contracts/product.ts';
import { PipelineFields } from '../../functions/contracts/deal-stages.ts';
import { InviteUserBody } from '../../functions/contracts/users.ts';
import { StartProcessBody } from '../../functions/contracts/processes.ts';
import { toMinor } from '../../functions/contracts/money.ts';
import { DEMO_SAMPLE, demoSampleOn, generateSample, stageOf, type Sample, type SampleMove } from '../../local/demo-sample/sample.ts';

const DAY = 86_400_000;
const sample = generateSample(DEMO_SAMPLE);
const pipelineOf = (key: string) => sample.pipelines.find((p) => p.key === key)!;
const movesByDeal = new Map<string, SampleMove[]>();
for (const move of sample.moves) movesByDeal.set(move.deal, [...(movesByDeal.get(move.deal) ?? []), move]);

const distinct = (values: string[]) => new Set(values).size === values.length;

describe('the demo sample', () => {
  it('is the same for the same seed and reference date, and another for another seed', () => {
    expect(generateSample(DEMO_SAMPLE)).toEqual(sample);
    const other = generateSample({ ...DEMO_SAMPLE, seed: DEMO_SAMPLE.seed + 1 });
    expect(other.companies.map((c) => c.name)).not.toEqual(sample.companies.map((c) => c.name));
  });

  it('ends its year on the day of a first start, with the same records again for the same day', () => {
    const day = new Date('2028-02-29T15:30:00Z');
    expect(demoSampleOn(day)).toEqual({ ...DEMO_SAMPLE, referenceDate: '2028-02-29' });
    const then = generateSample(demoSampleOn(day));
    expect(generateSample(demoSampleOn(new Date('2028-02-29T08:00:00Z')))).toEqual(then);
    const end = Date.parse('2028-02-29T00:00:00Z');
    const last = Math.max(...then.moves.map((move) => Date.parse(move.at)));
    expect(last).toBeLessThanOrEqual(end);
    expect(last).toBeGreaterThan(end - 7 * DAY);
    expect(Math.min(...then.deals.map((deal) => Date.parse(deal.createdAt)))).toBeGreaterThanOrEqual(end - 366 * DAY);
  });

  it('has the demo size at scale 1 and less at a smaller scale', () => {
    expect(sample.teams).toHaveLength(2);
    expect(sample.users).toHaveLength(8);
    expect(sample.products).toHaveLength(24);
    expect(sample.companies).toHaveLength(240);
    expect(sample.contacts.length).toBeGreaterThanOrEqual(300);
    expect(sample.deals).toHaveLength(600);
    expect(sample.moves.length).toBeGreaterThan(sample.deals.length * 2);
    expect(sample.quickSales).toHaveLength(4);
    const small = generateSample({ ...DEMO_SAMPLE, scale: 0.05 });
    expect([small.companies.length, small.deals.length, small.products.length]).toEqual([12, 30, 1]);
  });

  it('holds only records the API takes, with unique names and duplicate keys', () => {
    for (const { owner, ...company } of sample.companies) expect(CompanyFields.safeParse(company).error).toBeUndefined();
    for (const { owner, company, ...contact } of sample.contacts) expect(ContactFields.safeParse(contact).error).toBeUndefined();
    for (const product of sample.products) expect(ProductFields.safeParse(product).error).toBeUndefined();
    for (const { name, pipeline, stage, amount, expectedClose, lossReason, lossComment } of sample.deals) expect(DealFields.safeParse({ name, pipeline, stage, amount, expectedClose, lossReason, lossComment }).error).toBeUndefined();
    for (const { team, ...user } of sample.users) expect(InviteUserBody.safeParse(user).error).toBeUndefined();
    for (const pipeline of sample.pipelines) expect(PipelineFields.safeParse(pipeline).error).toBeUndefined();

    expect(distinct(sample.companies.map((c) => c.name))).toBe(true);
    expect(distinct(sample.companies.map((c) => c.domain))).toBe(true);
    expect(distinct(sample.contacts.map((c) => c.name))).toBe(true);
    expect(distinct(sample.contacts.flatMap((c) => c.emails))).toBe(true);
    expect(distinct(sample.contacts.flatMap((c) => c.phones.map((p) => p.replace(/\s/g, ''))))).toBe(true);
    expect(distinct(sample.deals.map((d) => d.name))).toBe(true);
    expect(distinct(sample.products.flatMap((p) => [p.name, p.sku]))).toBe(true);
    expect(distinct(sample.users.map((u) => u.email))).toBe(true);
  });

  it('gives every record an owner of two teams, each led by its manager; contacts and deals are their company owner\'s', () => {
    const users = new Map(sample.users.map((u) => [u.email, u]));
    for (const team of sample.teams) {
      expect(users.get(team.supervisor)).toMatchObject({ role: 'sales-manager', team: team.name });
      expect(sample.users.filter((u) => u.team === team.name && u.role === 'sales-representative').length).toBeGreaterThan(1);
    }
    const companies = new Map(sample.companies.map((c) => [c.name, c]));
    expect(new Set(sample.companies.map((c) => users.get(c.owner)?.team))).toEqual(new Set(sample.teams.map((t) => t.name)));
    for (const contact of sample.contacts) expect(contact.owner).toBe(companies.get(contact.company)!.owner);
    for (const deal of sample.deals) {
      expect(deal.owner).toBe(companies.get(deal.company)!.owner);
      const people = new Set(sample.contacts.filter((c) => c.company === deal.company).map((c) => c.name));
      for (const contact of deal.contacts) expect(people.has(contact)).toBe(true);
    }
  });

  it('moves every deal only as its pipeline allows: from where it was, in order, within the year, a reason for every loss', () => {
    const end = Date.parse(`${DEMO_SAMPLE.referenceDate}T00:00:00Z`);
    expect(sample.moves.map((m) => m.at)).toEqual(sample.moves.map((m) => m.at).sort());
    for (const deal of sample.deals) {
      const pipeline = pipelineOf(deal.pipeline);
      const moves = movesByDeal.get(deal.name)!;
      expect(moves[0]).toMatchObject({ from: null, to: pipeline.stages[0].key, at: deal.createdAt });
      expect(Date.parse(deal.createdAt)).toBeGreaterThanOrEqual(end - 366 * DAY);
      moves.forEach((move, i) => {
        expect(move.pipeline).toBe(deal.pipeline);
        expect(Date.parse(move.at)).toBeLessThanOrEqual(end);
        expect(move.amount).toEqual(deal.amount);
        const to = stageOf(pipeline, move.to);
        expect(to, move.to).toBeDefined();
        if (i > 0) {
          expect(move.from).toBe(moves[i - 1].to);
          expect(stageOf(pipeline, move.from!).outcome, 'no move leaves a won or lost stage').toBeUndefined();
          expect(move.to).not.toBe(move.from);
          expect(Date.parse(move.at)).toBeGreaterThan(Date.parse(moves[i - 1].at));
        }
        if (to.outcome === 'lost') expect(pipeline.lossReasons.map((r) => r.key)).toContain(move.lossReason);
        else expect(move.lossReason).toBeUndefined();
        // What the stage entered requires, the deal has.
        const fields: Record<string, unknown> = { amount: deal.amount, expectedClose: deal.expectedClose, companyId: deal.company };
        for (const field of to.requiredFields) expect(fields[field], `${move.to} requires ${field}`).toBeTruthy();
      });
      const last = moves.at(-1)!;
      expect([deal.stage, deal.lossReason, deal.lossComment]).toEqual([last.to, last.lossReason, last.lossComment]);
      if (stageOf(pipeline, deal.stage).outcome) expect(deal.expectedClose).toBe(last.at.slice(0, 10));
      else expect(Date.parse(deal.expectedClose)).toBeGreaterThan(end);
    }
  });

  it('looks like a real funnel: most deals lost early, some won, some stalled, a few stages skipped', () => {
    const business = sample.deals.filter((d) => d.pipeline === 'default');
    const outcome = (deal: Sample['deals'][number]) => stageOf(pipelineOf(deal.pipeline), deal.stage).outcome;
    const won = business.filter((d) => outcome(d) === 'won').length;
    expect(won / business.length).toBeGreaterThan(0.05);
    expect(won / business.length).toBeLessThan(0.3);
    const lostFrom = (stages: string[]) => sample.moves.filter((m) => m.pipeline === 'default' && m.to === 'lost' && stages.includes(m.from!)).length;
    expect(lostFrom(['new', 'qualified'])).toBeGreaterThan(lostFrom(['proposal', 'negotiation']));
    expect(new Set(sample.moves.filter((m) => m.to === 'lost').map((m) => m.lossReason)).size).toBeGreaterThan(3);

    const end = Date.parse(`${DEMO_SAMPLE.referenceDate}T00:00:00Z`);
    const stalled = sample.deals.filter((deal) => {
      const stage = stageOf(pipelineOf(deal.pipeline), deal.stage);
      return !stage.outcome && stage.maxDays !== undefined && end - Date.parse(movesByDeal.get(deal.name)!.at(-1)!.at) > stage.maxDays * DAY;
    });
    expect(stalled.length).toBeGreaterThan(10);
    const order = (move: SampleMove) => pipelineOf(move.pipeline).stages.findIndex((s) => s.key === move.to);
    const skips = sample.moves.filter((m) => m.from && !stageOf(pipelineOf(m.pipeline), m.to).outcome && order(m) - pipelineOf(m.pipeline).stages.findIndex((s) => s.key === m.from) > 1);
    expect(skips.length).toBeGreaterThan(0);
    expect(sample.deals.some((d) => d.pipeline === 'renewals' && outcome(d) === 'lost')).toBe(true);
  });

  it('starts quick sales on won deals, once per key, their lines worth the deal', () => {
    const products = new Map(sample.products.map((p) => [p.name, p]));
    for (const sale of sample.quickSales) {
      const deal = sample.deals.find((d) => d.name === sale.deal)!;
      expect(deal.stage).toBe('won');
      const lines = sale.lines.map((line) => ({ name: line.product, quantity: line.quantity, unitPrice: products.get(line.product)!.price, discount: line.discount }));
      expect(StartProcessBody.safeParse({ process: 'quick-sale', idempotencyKey: sale.key, input: { lines, delivery: sale.delivery } }).error).toBeUndefined();
      expect(lines.reduce((sum, line) => sum + lineMinor(line), 0n)).toBe(toMinor(deal.amount));
    }
    expect(distinct(sample.quickSales.map((s) => s.key))).toBe(true);
  });
});

/**
 * The demo tenant's sample: a sales team's year in a CRM, generated from a fixed seed and a fixed
 * reference date, so that every first `npm start` shows the same records (and a bug seen in the
 * demo can be seen again). Pure: no I/O, no clock, no Math.random; `load-sample.ts` writes it
 * through the API.
 *
 * What it holds: two teams (a manager and three representatives each), a product catalogue,
 * companies with their contacts (each company's owner owns its contacts and deals), two
 * pipelines with loss reasons, 12 months of deals with every stage move they made (created,
 * advanced, sometimes a stage skipped, lost with a reason, won, or stalled past a stage's
 * maximum days), and a few quick sales on recently won deals.
 */
import { Faker, base, en } from '@faker-js/faker';
import { fromMinor, type Money } from '../../functions/contracts/money.ts';
import { lineMinor } from '../../functions/contracts/deal.ts';

/** The demo's sample as of one fixed day (tests and the benchmark: the same records every run). */
export const DEMO_SAMPLE: SampleOptions = { seed: 20_261_201, referenceDate: '2026-12-01', scale: 1 };

/**
 * The sample a first `npm start` loads: the demo's, its year ending on the day of that start, so
 * the charts' default period (the last 12 months) is full whenever the product is first started,
 * not only in the year it was written. Still the same records for the same seed and day (the
 * marker file keeps both, and the start's log says them), so a bug seen in it can be seen again.
 */
export const demoSampleOn = (day: Date): SampleOptions => ({ ...DEMO_SAMPLE, referenceDate: day.toISOString().slice(0, 10) });

export interface SampleOptions {
  seed: number;
  /** The sample's "today" (a date, UTC): its year of deals ends here. */
  referenceDate: string;
  /** 1 is the demo's size; tests load a fraction of it. */
  scale: number;
}

export const CURRENCY = 'EUR';
export const SAMPLE_EMAIL_DOMAIN = 'demo.sheetflow.local';

export interface SampleTeam {
  name: string;
  /** E-mail of the user who supervises it (its manager). */
  supervisor: string;
}

export interface SampleUser {
  email: string;
  name: string;
  role: 'sales-manager' | 'sales-representative';
  team: string;
}

/** A pipeline as the pipelines API takes it (contracts/deal-stages.ts). */
export interface SamplePipeline {
  key: string;
  label: string;
  stages: SampleStage[];
  lossReasons: Array<{ key: string; label: string }>;
}

export interface SampleStage {
  key: string;
  label: string;
  probability: number;
  forecast: 'pipeline' | 'best_case' | 'commit' | 'closed' | 'omitted';
  colour: string;
  requiredFields: string[];
  maxDays?: number;
  outcome?: 'won' | 'lost';
}

export interface SampleProduct {
  name: string;
  sku: string;
  price: Money;
  description: string;
}

export interface SampleCompany {
  name: string;
  domain: string;
  industry: string;
  size: number;
  address: { street: string; city: string; postalCode: string; country: string };
  phones: string[];
  owner: string;
}

export interface SampleContact {
  name: string;
  position: string;
  emails: string[];
  phones: string[];
  /** The company's name (names are unique in the sample). */
  company: string;
  owner: string;
}

export interface SampleDeal {
  /** Unique, and how the moves and quick sales name the deal. */
  name: string;
  pipeline: string;
  /** Where its last move left it. */
  stage: string;
  amount: Money;
  expectedClose: string;
  company: string;
  contacts: string[];
  owner: string;
  createdAt: string;
  lossReason?: string;
  lossComment?: string;
}

export interface SampleMove {
  deal: string;
  pipeline: string;
  /** null: the deal was created in `to`. */
  from: string | null;
  to: string;
  at: string;
  /** E-mail of who moved it. */
  by: string;
  amount: Money;
  lossReason?: string;
  lossComment?: string;
}

export interface SampleQuickSale {
  /** The sale's idempotency key: a retried load starts it once. */
  key: string;
  deal: string;
  lines: Array<{ product: string; quantity: number; discount: number }>;
  delivery: { address: string; date: string };
}

export interface Sample {
  options: SampleOptions;
  teams: SampleTeam[];
  users: SampleUser[];
  pipelines: SamplePipeline[];
  products: SampleProduct[];
  companies: SampleCompany[];
  contacts: SampleContact[];
  deals: SampleDeal[];
  /** Oldest first; each deal's moves chain (`from` is the `to` before it). */
  moves: SampleMove[];
  quickSales: SampleQuickSale[];
}

// The default pipeline's keys (contracts/deal-stages.ts DEFAULT_PIPELINE), so the sample's main
// pipeline is the tenant's first one, with rules, colours and loss reasons added.
export const NEW_BUSINESS: SamplePipeline = {
  key: 'default',
  label: 'New business',
  stages: [
    { key: 'new', label: 'New', probability: 10, forecast: 'pipeline', colour: '#9e9e9e', requiredFields: [], maxDays: 14 },
    { key: 'qualified', label: 'Qualified', probability: 25, forecast: 'pipeline', colour: '#42a5f5', requiredFields: ['companyId'], maxDays: 21 },
    { key: 'proposal', label: 'Proposal', probability: 50, forecast: 'best_case', colour: '#7e57c2', requiredFields: ['amount'], maxDays: 21 },
    { key: 'negotiation', label: 'Negotiation', probability: 75, forecast: 'commit', colour: '#ffa726', requiredFields: ['amount', 'expectedClose'], maxDays: 30 },
    { key: 'won', label: 'Won', probability: 100, forecast: 'closed', colour: '#43a047', requiredFields: ['amount'], outcome: 'won' },
    { key: 'lost', label: 'Lost', probability: 0, forecast: 'omitted', colour: '#e53935', requiredFields: [], outcome: 'lost' },
  ],
  lossReasons: [
    { key: 'no_budget', label: 'No budget' },
    { key: 'no_decision', label: 'No decision' },
    { key: 'timing', label: 'Bad timing' },
    { key: 'price', label: 'Price too high' },
    { key: 'competitor', label: 'Chose a competitor' },
    { key: 'product_fit', label: 'Product does not fit' },
  ],
};

export const RENEWALS: SamplePipeline = {
  key: 'renewals',
  label: 'Renewals',
  stages: [
    { key: 'upcoming', label: 'Upcoming', probability: 60, forecast: 'pipeline', colour: '#26a69a', requiredFields: [], maxDays: 30 },
    { key: 'quoted', label: 'Quoted', probability: 80, forecast: 'commit', colour: '#5c6bc0', requiredFields: ['amount'], maxDays: 21 },
    { key: 'renewed', label: 'Renewed', probability: 100, forecast: 'closed', colour: '#43a047', requiredFields: ['amount'], outcome: 'won' },
    { key: 'churned', label: 'Churned', probability: 0, forecast: 'omitted', colour: '#e53935', requiredFields: [], outcome: 'lost' },
  ],
  lossReasons: [
    { key: 'price', label: 'Price increase' },
    { key: 'competitor', label: 'Moved to a competitor' },
    { key: 'not_used', label: 'Not used enough' },
    { key: 'out_of_business', label: 'Out of business' },
  ],
};

/**
 * Per open stage: the chance a deal moves on, is lost (else it stalls there), and the reasons
 * lost there, likeliest first. Most deals are lost early, for want of budget or a decision;
 * late ones to price and competitors. About one in eight is won.
 */
const PATHS: Record<string, Record<string, { advance: number; lose: number; reasons: string[] }>> = {
  default: {
    new: { advance: 0.55, lose: 0.37, reasons: ['no_budget', 'no_decision', 'timing', 'product_fit'] },
    qualified: { advance: 0.6, lose: 0.32, reasons: ['no_decision', 'product_fit', 'no_budget', 'timing'] },
    proposal: { advance: 0.58, lose: 0.36, reasons: ['price', 'competitor', 'no_decision', 'timing'] },
    negotiation: { advance: 0.68, lose: 0.29, reasons: ['price', 'competitor', 'timing'] },
  },
  renewals: {
    upcoming: { advance: 0.82, lose: 0.14, reasons: ['not_used', 'price', 'out_of_business'] },
    quoted: { advance: 0.78, lose: 0.2, reasons: ['price', 'competitor', 'not_used'] },
  },
};

/** Sizes at scale 1. */
const SIZES = { companies: 240, productCount: 24, deals: 600, renewalShare: 0.15, quickSales: 4 };
const INDUSTRIES = ['Manufacturing', 'Retail', 'Software', 'Logistics', 'Healthcare', 'Financial services', 'Construction', 'Education', 'Hospitality', 'Energy'];
const COUNTRIES = [
  { value: 'GB', weight: 4 },
  { value: 'DE', weight: 3 },
  { value: 'NL', weight: 1 },
  { value: 'FR', weight: 2 },
];
const DEAL_KINDS = ['Annual subscription', 'Pilot', 'Expansion', 'Platform licence', 'Support plan', 'Onboarding package', 'Upgrade', 'Team seats'];
const DRAMA_AREAS = [113, 114, 115, 116, 117, 118, 121, 131, 141, 151, 161];
const LOSS_COMMENTS = [
  'Budget moved to next year.',
  'They went quiet after the demo.',
  'The incumbent matched our price.',
  'Procurement wants three quotes first; not us this time.',
  'Champion left the company.',
  'Needs an integration we do not have.',
  'Decided to build it in house.',
  'Asked us to come back in six months.',
];
const DAY = 86_400_000;

/** The sample of these options: the same options give the same sample, always. */
export function generateSample(options: SampleOptions): Sample {
  const faker = new Faker({ locale: [en, base], seed: options.seed });
  const end = Date.parse(`${options.referenceDate}T00:00:00Z`);
  if (Number.isNaN(end)) throw new Error(`referenceDate must be a date like 2026-12-01, not ${options.referenceDate}`);
  const count = (n: number) => Math.max(1, Math.round(n * options.scale));

  const { teams, users } = people(faker);
  const owners = users.map((user) => ({ value: user, weight: user.role === 'sales-representative' ? 6 : 1 }));
  const products = catalogue(faker, count(SIZES.productCount));
  const companies = uniqueBy(count(SIZES.companies), (c) => [folded(c.name), c.domain], () => company(faker, faker.helpers.weightedArrayElement(owners).email));
  const contacts = companyContacts(faker, companies);

  const deals: SampleDeal[] = [];
  const moves: SampleMove[] = [];
  const dealCount = count(SIZES.deals);
  // Created across the year, a few more towards its end (a growing team).
  const created = Array.from({ length: dealCount }, () => end - (Math.floor(365 * faker.number.float({ min: 0, max: 1 }) ** 1.3) + 1) * DAY + workingTime(faker));
  created.sort((a, b) => a - b);
  created.forEach((at, i) => {
    const pipeline = faker.number.float({ min: 0, max: 1 }) < SIZES.renewalShare ? RENEWALS : NEW_BUSINESS;
    const client = faker.helpers.arrayElement(companies);
    const owner = users.find((user) => user.email === client.owner)!;
    const manager = users.find((user) => user.team === owner.team && user.role === 'sales-manager')!;
    const staff = contacts.filter((contact) => contact.company === client.name);
    const amount = money(faker.number.int({ min: 4, max: pipeline === RENEWALS ? 60 : 160 }) * 250_00);
    const deal: SampleDeal = {
      name: `${client.name}: ${pipeline === RENEWALS ? 'Renewal' : faker.helpers.arrayElement(DEAL_KINDS)} (D-${String(i + 1).padStart(4, '0')})`,
      pipeline: pipeline.key,
      stage: pipeline.stages[0].key,
      amount,
      expectedClose: isoDate(at + faker.number.int({ min: 30, max: 120 }) * DAY),
      company: client.name,
      contacts: faker.helpers.arrayElements(staff, { min: 1, max: Math.min(2, staff.length) }).map((contact) => contact.name),
      owner: owner.email,
      createdAt: new Date(at).toISOString(),
    };
    const history = lifecycle(faker, pipeline, deal, at, end, () => (faker.number.float({ min: 0, max: 1 }) < 0.85 ? owner.email : manager.email));
    const last = history.at(-1)!;
    deal.stage = last.to;
    const ended = stageOf(pipeline, last.to).outcome;
    if (ended) deal.expectedClose = last.at.slice(0, 10);
    else if (Date.parse(deal.expectedClose) < end) deal.expectedClose = isoDate(end + faker.number.int({ min: 7, max: 90 }) * DAY);
    if (last.lossReason) deal.lossReason = last.lossReason;
    if (last.lossComment) deal.lossComment = last.lossComment;
    deals.push(deal);
    moves.push(...history);
  });
  moves.sort((a, b) => a.at.localeCompare(b.at) || a.deal.localeCompare(b.deal));

  const quickSales = sales(faker, deals, moves, companies, products, count(SIZES.quickSales), end);
  return { options, teams, users, pipelines: [NEW_BUSINESS, RENEWALS], products, companies, contacts, deals, moves, quickSales };
}

function people(faker: Faker): { teams: SampleTeam[]; users: SampleUser[] } {
  const seen = new Set<string>();
  const person = (role: SampleUser['role'], team: string): SampleUser => {
    for (;;) {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      const email = `${ascii(first)}.${ascii(last)}@${SAMPLE_EMAIL_DOMAIN}`;
      if (seen.has(email)) continue;
      seen.add(email);
      return { email, name: `${first} ${last}`, role, team };
    }
  };
  const teams: SampleTeam[] = [];
  const users: SampleUser[] = [];
  for (const name of ['Field sales', 'Inside sales']) {
    const manager = person('sales-manager', name);
    users.push(manager, person('sales-representative', name), person('sales-representative', name), person('sales-representative', name));
    teams.push({ name, supervisor: manager.email });
  }
  return { teams, users };
}

function catalogue(faker: Faker, n: number): SampleProduct[] {
  return uniqueBy(n, (p) => [folded(p.name)], () => ({
    name: faker.commerce.productName(),
    sku: '',
    price: money(faker.number.int({ min: 10, max: 1_000 }) * 5_00),
    description: faker.commerce.productDescription(),
  })).map((product, i) => ({ ...product, sku: `SF-${1001 + i}` }));
}

function company(faker: Faker, owner: string): SampleCompany {
  const name = faker.company.name();
  const country = faker.helpers.weightedArrayElement(COUNTRIES);
  return {
    name,
    domain: `${slug(name)}.example`,
    industry: faker.helpers.arrayElement(INDUSTRIES),
    size: faker.helpers.weightedArrayElement([
      { value: faker.number.int({ min: 5, max: 49 }), weight: 5 },
      { value: faker.number.int({ min: 50, max: 499 }), weight: 3 },
      { value: faker.number.int({ min: 500, max: 20_000 }), weight: 1 },
    ]),
    address: { street: faker.location.streetAddress(), city: faker.location.city(), postalCode: faker.location.zipCode(), country },
    // London's numbers for drama (020 7946 0000-0999): valid, never anyone's.
    phones: [`+44 20 7946 ${String(faker.number.int({ min: 0, max: 999 })).padStart(4, '0')}`],
    owner,
  };
}

/** One to three people per company, owned by its owner; e-mails and phones unique (they are duplicate keys). */
function companyContacts(faker: Faker, companies: SampleCompany[]): SampleContact[] {
  const names = new Set<string>();
  const contacts: SampleContact[] = [];
  for (const client of companies) {
    const n = faker.number.int({ min: 1, max: 3 });
    for (let made = 0; made < n; ) {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      const name = `${first} ${last}`;
      if (names.has(folded(name))) continue;
      names.add(folded(name));
      made++;
      // Ofcom's numbers for drama (0113 496 0000-0999, ...): valid, never anyone's, 11,000 of them.
      const area = DRAMA_AREAS[Math.floor(contacts.length / 1000)];
      const phone = area ? [`+44 ${area} 496 ${String(contacts.length % 1000).padStart(4, '0')}`] : [];
      contacts.push({
        name,
        position: faker.person.jobTitle(),
        emails: [`${ascii(first)}.${ascii(last)}@${client.domain}`],
        phones: phone,
        company: client.name,
        owner: client.owner,
      });
    }
  }
  return contacts;
}

/**
 * A deal's moves from its creation: in each open stage it stays some days (about the stage's
 * maximum), then moves on (now and then skipping a stage), is lost, or stalls there; a move that
 * would fall after the reference date is not made, so the deal is still open in that stage.
 */
function lifecycle(faker: Faker, pipeline: SamplePipeline, deal: SampleDeal, createdAt: number, end: number, mover: () => string): SampleMove[] {
  const move = (from: string | null, to: string, at: number, reason?: string): SampleMove => ({
    deal: deal.name,
    pipeline: pipeline.key,
    from,
    to,
    at: new Date(at).toISOString(),
    by: mover(),
    amount: deal.amount,
    ...(reason ? loss(faker, reason) : {}),
  });
  const moves = [move(null, pipeline.stages[0].key, createdAt)];
  const open = pipeline.stages.filter((stage) => !stage.outcome);
  const won = pipeline.stages.find((stage) => stage.outcome === 'won')!;
  const lost = pipeline.stages.find((stage) => stage.outcome === 'lost')!;
  let at = createdAt;
  for (let i = 0; i < open.length; ) {
    const stage = open[i];
    const path = PATHS[pipeline.key][stage.key];
    at += faker.number.int({ min: 1, max: Math.round((stage.maxDays ?? 30) * 1.2) }) * DAY + workingTime(faker) - (at % DAY);
    if (at > end) break;
    const roll = faker.number.float({ min: 0, max: 1 });
    if (roll < path.advance) {
      const skip = i + 2 < open.length && faker.number.float({ min: 0, max: 1 }) < 0.08 ? 2 : 1;
      const next = open[i + skip] ?? won;
      moves.push(move(stage.key, next.key, at));
      if (next === won) break;
      i += skip;
    } else if (roll < path.advance + path.lose) {
      moves.push(move(stage.key, lost.key, at, faker.helpers.weightedArrayElement(path.reasons.map((value, rank) => ({ value, weight: path.reasons.length - rank })))));
      break;
    } else break; // stalled: it stays, past the stage's maximum days in time
  }
  return moves;
}

/** Why a deal was lost, and in two of five what the rep wrote about it. */
function loss(faker: Faker, reason: string): { lossReason: string; lossComment?: string } {
  const comment = faker.helpers.maybe(() => faker.helpers.arrayElement(LOSS_COMMENTS), { probability: 0.4 });
  return comment ? { lossReason: reason, lossComment: comment } : { lossReason: reason };
}

/** Quick sales started on the latest deals won, their lines the deal's amount. */
function sales(faker: Faker, deals: SampleDeal[], moves: SampleMove[], companies: SampleCompany[], products: SampleProduct[], n: number, end: number): SampleQuickSale[] {
  const won = deals.filter((deal) => deal.pipeline === NEW_BUSINESS.key && deal.stage === 'won').slice(-n);
  return won.map((deal, i) => {
    const lines = faker.helpers.arrayElements(products, { min: 1, max: 3 }).map((product) => ({
      product: product.name,
      quantity: faker.number.int({ min: 1, max: 20 }),
      discount: faker.helpers.arrayElement([0, 0, 5, 10]),
    }));
    // The sale writes its lines to the deal, whose amount is then theirs: theirs from its start.
    deal.amount = fromMinor(
      lines.reduce((sum, line) => sum + lineMinor({ quantity: line.quantity, unitPrice: products.find((p) => p.name === line.product)!.price, discount: line.discount }), 0n),
      CURRENCY,
    );
    for (const move of moves) if (move.deal === deal.name) move.amount = deal.amount;
    const client = companies.find((c) => c.name === deal.company)!;
    return {
      key: `demo-sample-sale-${i + 1}`,
      deal: deal.name,
      lines,
      delivery: { address: `${client.address.street}, ${client.address.postalCode} ${client.address.city}`, date: isoDate(end + faker.number.int({ min: 5, max: 20 }) * DAY) },
    };
  });
}

export const stageOf = (pipeline: SamplePipeline, key: string) => pipeline.stages.find((stage) => stage.key === key)!;

/** A name as the API finds records by it: case, accents and runs of spaces aside. */
const folded = (name: string) => name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');

/** n values made until their keys differ from every earlier one's (names and domains are looked up by). */
function uniqueBy<T>(n: number, keys: (value: T) => string[], make: () => T): T[] {
  const seen = new Set<string>();
  const values: T[] = [];
  while (values.length < n) {
    const value = make();
    if (keys(value).some((key) => seen.has(key))) continue;
    keys(value).forEach((key) => seen.add(key));
    values.push(value);
  }
  return values;
}

/** A time of a working day, 08:00-18:00, as milliseconds into it. */
const workingTime = (faker: Faker) => (8 * 3600 + faker.number.int({ min: 0, max: 10 * 3600 - 1 })) * 1000;
const money = (minor: number) => fromMinor(BigInt(minor), CURRENCY);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ascii = (text: string) => text.normalize('NFKD').toLowerCase().replace(/[^a-z]/g, '');
const slug = (text: string) => text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

/** Custom fields added at run time: each type validates its values, a rename keeps the data, a delete is recoverable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { FieldDefinition, FieldList, type FieldType } from '../../functions/contracts/fields.ts';
import { valueSchema } from '../../functions/fields/field-types.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('custom');
  other = await cloud.userOf('custom-other');
  cases.find((c) => c.type === 'user')!.good = (await user.get('/api/me')).json.sub;
});
afterAll(() => cloud?.stop());

const errorOf = (response: { json: unknown }) => ApiErrorBody.parse(response.json).error;

async function field(client: ApiClient, type: string, body: Record<string, unknown>) {
  const response = await client.post(`/api/fields/${type}`, body);
  expect(response.status, response.text).toBe(201);
  return FieldDefinition.parse(response.json);
}

/** For each field type: a value it takes (and how it is stored), and one it refuses. */
const cases: Array<{ type: FieldType; extra?: Record<string, unknown>; good: unknown; stored?: unknown; bad: unknown }> = [
  { type: 'text', good: '  Gold ', stored: 'Gold', bad: 42 },
  { type: 'long_text', good: 'line 1\nline 2', bad: ['x'] },
  { type: 'number', good: 12.5, bad: '12.5' },
  { type: 'money', extra: { currency: 'EUR' }, good: { amount: '10', currency: 'EUR' }, stored: { amount: '10.00', currency: 'EUR' }, bad: { amount: '10', currency: 'USD' } },
  { type: 'percent', good: 55, bad: 150 },
  { type: 'date', good: '2026-02-28', bad: '2026-02-30' },
  { type: 'datetime', good: '2026-02-28T10:00:00+01:00', bad: '2026-02-28 10:00' },
  { type: 'checkbox', good: true, bad: 'yes' },
  { type: 'single_select', extra: { options: ['gold', 'silver'] }, good: 'gold', bad: 'bronze' },
  { type: 'multi_select', extra: { options: ['a', 'b', 'c'] }, good: ['a', 'c'], bad: ['a', 'a'] },
  // `good` is the signed-in user (an active user of the tenant), set in beforeAll; a stranger's sub is refused.
  { type: 'user', good: '', bad: 'no-such-user-sub' },
  { type: 'email', good: 'X@Example.com', stored: 'x@example.com', bad: 'x@' },
  { type: 'phone', good: '+1 (212) 555-0123', stored: '+12125550123', bad: '555-0123' },
  { type: 'url', good: 'https://example.com/a?b=c', bad: 'javascript:alert(1)' },
];

describe('custom fields', () => {
  it('every field type takes its values and refuses others with field, value and reason', async () => {
    const definitions = [];
    for (const c of cases) definitions.push(await field(user, 'company', { label: `My ${c.type}`, type: c.type, ...c.extra }));
    const good = Object.fromEntries(definitions.map((d, i) => [d.key, cases[i].good]));
    const company = await user.post('/api/companies', { name: 'Custom', ...good });
    expect(company.status, company.text).toBe(201);
    definitions.forEach((d, i) => expect(company.json[d.key], d.type).toEqual(cases[i].stored ?? cases[i].good));

    for (const [i, d] of definitions.entries()) {
      const response = await user.patch(`/api/companies/${company.json.id}`, { version: 1, fields: { [d.key]: cases[i].bad } });
      expect(response.status, `${d.type}: ${response.text}`).toBe(400);
      const issue = errorOf(response).issues?.[0];
      expect(issue?.path, d.type).toMatch(new RegExp(`^fields\\.${d.key}`));
      expect(issue?.message.length).toBeGreaterThan(0);
      if (typeof cases[i].bad === 'string' && cases[i].bad !== '') expect(issue?.value, d.type).toBe(cases[i].bad);
    }
  });

  it('a relation field must point at a live record of its target type in the tenant', async () => {
    const partner = await field(user, 'deal', { label: 'Partner', type: 'relation', target: 'company' });
    expect(partner.target).toBe('COMPANY');
    const mine = (await user.post('/api/companies', { name: 'Mine' })).json;
    const theirs = (await other.post('/api/companies', { name: 'Theirs' })).json;
    const contact = (await user.post('/api/contacts', { name: 'Not a company' })).json;
    expect((await user.post('/api/deals', { name: 'Ok', [partner.key]: mine.id })).status).toBe(201);
    for (const id of [theirs.id, contact.id]) {
      const refused = await user.post('/api/deals', { name: 'Bad', [partner.key]: id });
      expect(refused.status).toBe(400);
      expect(errorOf(refused).issues).toEqual([expect.objectContaining({ path: partner.key, value: id })]);
    }
    const team = await field(user, 'deal', { label: 'Team', type: 'relation', target: 'contact', multiple: true });
    const many = await user.post('/api/deals', { name: 'Many', [team.key]: [contact.id, mine.id] });
    expect(errorOf(many).issues).toEqual([expect.objectContaining({ path: `${team.key}.1`, value: mine.id })]);
    expect((await user.post('/api/deals', { name: 'Many', [team.key]: [contact.id] })).status).toBe(201);
    const noTarget = await user.post('/api/fields/deal', { label: 'Nowhere', type: 'relation', target: 'planet' });
    expect(errorOf(noTarget).issues?.[0].path).toBe('target');
  });

  it('a rename keeps the values; a delete hides and refuses them; a restore brings them back', async () => {
    const tier = await field(user, 'contact', { label: 'Tier', type: 'single_select', options: ['gold', 'silver'] });
    expect(tier.key).toBe('cf_tier');
    const contact = (await user.post('/api/contacts', { name: 'Tiered', cf_tier: 'gold' })).json;

    const renamed = await user.patch(`/api/fields/contact/${tier.key}`, { version: 1, label: 'Customer tier' });
    expect(renamed.json).toMatchObject({ key: 'cf_tier', label: 'Customer tier', version: 2 });
    expect((await user.patch(`/api/fields/contact/${tier.key}`, { version: 1, label: 'Stale' })).status).toBe(409);
    expect((await user.get(`/api/contacts/${contact.id}`)).json.cf_tier).toBe('gold');

    expect((await user.delete(`/api/fields/contact/${tier.key}?version=2`)).status).toBe(204);
    expect((await user.get(`/api/contacts/${contact.id}`)).json).not.toHaveProperty('cf_tier');
    const refused = await user.patch(`/api/contacts/${contact.id}`, { version: 1, fields: { cf_tier: 'silver' } });
    expect(errorOf(refused).issues).toContainEqual({ path: 'fields.cf_tier', message: 'is not a known field' });
    const deleted = FieldList.parse((await user.get('/api/fields/contact?deleted=true')).json).items;
    expect(deleted.map((d) => d.key)).toEqual(['cf_tier']);
    expect(Date.parse(deleted[0].purgeAt!) - Date.parse(deleted[0].deletedAt!)).toBe(30 * 24 * 3600 * 1000);
    expect(FieldList.parse((await user.get('/api/fields/contact')).json).items).toEqual([]);
    // A new field with the same label gets a key of its own: the deleted one's values stay its own.
    expect((await field(user, 'contact', { label: 'Tier', type: 'text' })).key).toBe('cf_tier_2');

    const restored = await user.post(`/api/fields/contact/${tier.key}/restore`, {});
    expect(restored.status).toBe(200);
    expect(restored.json).not.toHaveProperty('deletedAt');
    expect((await user.get(`/api/contacts/${contact.id}`)).json.cf_tier).toBe('gold');
  });

  it('fields of one tenant do not exist for another', async () => {
    const secret = await field(user, 'product', { label: 'Secret', type: 'text' });
    expect(FieldList.parse((await other.get('/api/fields/product')).json).items).toEqual([]);
    expect((await other.post('/api/products', { name: 'P', [secret.key]: 'x' })).status).toBe(400);
    expect((await other.patch(`/api/fields/product/${secret.key}`, { version: 1, label: 'Mine now' })).status).toBe(404);
    expect((await user.get('/api/fields/planet')).status).toBe(404);
  });

  it('a required field must be given at creation and cannot be cleared', async () => {
    const code = await field(user, 'activity', { label: 'Code', type: 'text', required: true });
    const missing = await user.post('/api/activities', { name: 'A', kind: 'task' });
    expect(errorOf(missing).issues?.map((i) => i.path)).toEqual([code.key]);
    const activity = (await user.post('/api/activities', { name: 'A', kind: 'task', [code.key]: 'X1' })).json;
    const cleared = await user.patch(`/api/activities/${activity.id}`, { version: 1, fields: { [code.key]: null } });
    expect(errorOf(cleared).issues?.map((i) => i.path)).toEqual([`fields.${code.key}`]);
  });
});

describe('field value schemas (properties)', () => {
  it('a select takes exactly its options', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() === s && s !== ''), { minLength: 1, maxLength: 8 }), fc.string(), (options, value) => {
        const schema = valueSchema({ type: 'single_select', options });
        expect(schema.safeParse(value).success).toBe(options.includes(value));
      }),
    );
  });

  it('a number field takes finite numbers only, a percent 0..100 only', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.string(), fc.boolean()), (value) => {
        const isFinite = typeof value === 'number' && Number.isFinite(value);
        expect(valueSchema({ type: 'number' }).safeParse(value).success).toBe(isFinite);
        expect(valueSchema({ type: 'percent' }).safeParse(value).success).toBe(isFinite && (value as number) >= 0 && (value as number) <= 100);
      }),
    );
  });

  it('money keeps its value exactly, normalised to the minor digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.constantFrom('EUR', 'JPY', 'KWD'), (minor, currency) => {
        const digits = { EUR: 2, JPY: 0, KWD: 3 }[currency]!;
        const text = minor.toString().replace('-', '').padStart(digits + 1, '0');
        const amount = `${minor < 0n ? '-' : ''}${digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text}`;
        expect(valueSchema({ type: 'money' }).parse({ amount, currency })).toEqual({ amount, currency });
      }),
    );
  });
});

/**
 * What values the API stores, through the real handlers: text without control characters, lone
 * surrogates or bidi overrides, names that show something, amounts and prices not below zero,
 * dates in the years 1900-2200, deal totals within the 15 digits an amount may have, and phone
 * extensions kept. Each refusal is a 400 naming the field (or an `invalid` cell of a paste).
 * A property sends generated bad names to every record type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('values');
});
afterAll(() => cloud?.stop());

/** The paths of a 400's issues (asserting it is one). */
async function refusedPaths(response: Promise<{ status: number; json: any; text: string }>): Promise<string[]> {
  const answer = await response;
  expect(answer.status, answer.text).toBe(400);
  return answer.json.error.issues.map((issue: { path: string }) => issue.path);
}

const money = (amount: string, currency = 'EUR') => ({ amount, currency });
const PLURALS = ['companies', 'contacts', 'leads', 'deals', 'products', 'activities'] as const;
const minimal = (plural: string, name: string) => (plural === 'activities' ? { name, kind: 'task' } : { name });

/** Text no field may hold, each with a reason: control characters, lone surrogates, bidi controls. */
const BAD_TEXT: Array<[string, string]> = [
  ['NUL', 'Acme\u0000Ltd'],
  ['a bell', 'Acme\u0007'],
  ['DEL', 'Ac\u007Fme'],
  ['a C1 control', 'Acme\u0085Ltd'],
  ['a lone high surrogate', 'Acme \ud83d'],
  ['a lone low surrogate', '\ude00 Acme'],
  ['a right-to-left override', 'Invoice\u202Efdp.exe'],
  ['a left-to-right isolate', 'Acme \u2066Ltd'],
];
/** Names that show nothing. */
const INVISIBLE = [' ', '\u200B', '\u200B\u200C\u200D', '\uFEFF\u2060', '\u3164', '\u0301', '\u2800', '\u00A0\u2003'];

describe('text', () => {
  it.each(BAD_TEXT)('refuses a name with %s in every record type, naming the field', async (_, name) => {
    for (const plural of PLURALS) {
      expect(await refusedPaths(user.post(`/api/${plural}`, minimal(plural, name))), plural).toEqual(['name']);
    }
  });

  it.each(INVISIBLE.map((name) => [JSON.stringify(name), name]))('refuses the name %s, which shows nothing', async (_, name) => {
    for (const plural of PLURALS) {
      const answer = await user.post(`/api/${plural}`, minimal(plural, name));
      expect(answer.status, plural).toBe(400);
      expect(answer.json.error.issues).toEqual([expect.objectContaining({ path: 'name', message: expect.stringMatching(/visible|required/) })]);
    }
  });

  it('takes names in any script, with right-to-left marks, emoji and inner spaces', async () => {
    for (const name of ['شركة\u200F الأمل', 'Ōsaka 株式会社', 'Café 😀 Crème', 'O\u2019Brien & Søn', 'Zoë\u00A0Ltd']) {
      const created = await user.post('/api/companies', { name });
      expect(created.status, name).toBe(201);
      expect(created.json.name).toBe(name);
    }
  });

  it('keeps tabs and line breaks in long text only, and refuses them in one-line fields', async () => {
    const lead = await user.post('/api/leads', { name: 'Multi-line', notes: 'first line\n\tindented\r\nthird' });
    expect(lead.status, lead.text).toBe(201);
    expect(lead.json.notes).toBe('first line\n\tindented\r\nthird');
    expect(await refusedPaths(user.post('/api/leads', { name: 'One line', source: 'web\nform', notes: 'bad \u0000 byte' }))).toEqual(['source', 'notes']);
    expect(await refusedPaths(user.post('/api/companies', { name: 'Tabbed', address: { street: 'Main St\t1' }, tags: ['ok', '\u200B'] }))).toEqual(['address.street', 'tags.1']);
  });

  it('refuses bad text in a PATCH, a paste and custom fields alike', async () => {
    const company = (await user.post('/api/companies', { name: 'Patched' })).json;
    expect(await refusedPaths(user.patch(`/api/companies/${company.id}`, { version: 1, fields: { name: '\u202Egnp.exe' } }))).toEqual(['fields.name']);

    const field = await user.post('/api/fields/company', { label: 'Motto', type: 'text' });
    expect(field.status, field.text).toBe(201);
    expect(await refusedPaths(user.patch(`/api/companies/${company.id}`, { version: 1, fields: { [field.json.key]: 'a\u0000b' } }))).toEqual([`fields.${field.json.key}`]);
    expect(await refusedPaths(user.post('/api/fields/company', { label: '\u200B\u200B', type: 'text' }))).toEqual(['label']);

    const pasted = await user.post('/api/bulk', {
      changes: [
        { type: 'company', id: company.id, version: 1, field: 'name', value: 'Fine Name' },
        { type: 'company', id: company.id, version: 1, field: 'industry', value: 'Energy\u0007' },
      ],
    });
    expect(pasted.status, pasted.text).toBe(200);
    expect(pasted.json.results[1]).toEqual({ status: 'invalid', reason: expect.stringMatching(/industry.*control character U\+0007/) });
  });

  it('refuses any generated name holding a character no text may hold (property)', async () => {
    const safe = fc.string({ unit: fc.constantFrom(...'Acme Ltd 株式会社 Ω-&.'), minLength: 1, maxLength: 20 });
    const unsafe = fc.oneof(
      fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PLURALS), safe, unsafe, safe, async (plural, before, bad, after) => {
        const answer = await user.post(`/api/${plural}`, minimal(plural, `${before}${bad}${after}`));
        expect(answer.status, answer.text).toBe(400);
        // Refused for the name alone; a name may break two rules at once (" \u0000 ": a control character, and nothing visible).
        expect([...new Set(answer.json.error.issues.map((issue: { path: string }) => issue.path))]).toEqual(['name']);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any generated name of only invisible characters (property)', async () => {
    const invisible = fc.string({ unit: fc.constantFrom(' ', '\u00A0', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u3164', '\u180E', '\u0301', '\u034F', '\uFE0F'), minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PLURALS), invisible, async (plural, name) => {
        const answer = await user.post(`/api/${plural}`, minimal(plural, name));
        expect(answer.status, answer.text).toBe(400);
        // Refused for the name alone; a name may break two rules at once (" \u0000 ": a control character, and nothing visible).
        expect([...new Set(answer.json.error.issues.map((issue: { path: string }) => issue.path))]).toEqual(['name']);
      }),
      { numRuns: 40 },
    );
  });
});

describe('amounts and prices', () => {
  it('refuses a negative deal amount, unit price and product price, naming each', async () => {
    expect(await refusedPaths(user.post('/api/deals', { name: 'Negative', amount: money('-1.00') }))).toEqual(['amount.amount']);
    expect(await refusedPaths(user.post('/api/deals', { name: 'Negative line', lines: [{ name: 'Refund', quantity: 1, unitPrice: money('-50') }] }))).toEqual(['lines.0.unitPrice.amount']);
    expect(await refusedPaths(user.post('/api/products', { name: 'Negative price', price: money('-0.01') }))).toEqual(['price.amount']);
    // Zero is a price (a free item); a discount is 0-100 %, never below zero.
    expect((await user.post('/api/products', { name: 'Free sample', price: money('0') })).status).toBe(201);
    expect(await refusedPaths(user.post('/api/deals', { name: 'Surcharge', lines: [{ name: 'x', quantity: 1, unitPrice: money('10'), discount: -5 }] }))).toEqual(['lines.0.discount']);
  });

  it('keeps custom money fields signed: a balance may be below zero', async () => {
    const field = await user.post('/api/fields/company', { label: 'Balance', type: 'money' });
    const created = await user.post('/api/companies', { name: 'In the red', [field.json.key]: money('-120.50') });
    expect(created.status, created.text).toBe(201);
    expect(created.json[field.json.key]).toEqual(money('-120.50'));
  });
});

describe('deal totals from lines', () => {
  const LARGEST = '999999999999999.99';

  it('takes lines adding up to the largest amount (15 digits before the point)', async () => {
    const created = await user.post('/api/deals', {
      name: 'At the limit',
      lines: [
        { name: 'a', quantity: 1, unitPrice: money('999999999999999.00') },
        { name: 'b', quantity: 1, unitPrice: money('0.99') },
      ],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.amount).toEqual(money(LARGEST));
  });

  it('refuses lines whose total would exceed it, and a line that alone would, naming them', async () => {
    const over = await user.post('/api/deals', {
      name: 'Over by a cent',
      lines: [
        { name: 'a', quantity: 1, unitPrice: money(LARGEST) },
        { name: 'b', quantity: 1, unitPrice: money('0.01') },
      ],
    });
    expect(await refusedPaths(Promise.resolve(over))).toEqual(['lines']);
    expect(over.json.error.issues[0].message).toMatch(/add up to 1000000000000000\.00 EUR.*15 digits/);

    const manyLines = Array.from({ length: 200 }, (_, i) => ({ name: `line ${i}`, quantity: 1_000_000_000, unitPrice: money('999999999999999') }));
    const huge = await user.post('/api/deals', { name: '27 digits', lines: manyLines });
    expect(huge.status).toBe(400);
    expect(huge.json.error.issues).toHaveLength(200);
    expect(huge.json.error.issues[0]).toMatchObject({ path: 'lines.0', message: expect.stringMatching(/comes to 999999999999999000000000\.00 EUR/) });
  });

  it('refuses the change of one line that would take a stored total over, and keeps the deal as it was', async () => {
    const deal = (await user.post('/api/deals', { name: 'Growing', lines: [{ name: 'a', quantity: 1, unitPrice: money('900000000000000') }] })).json;
    const lines = [...deal.lines.map(({ amount: _, ...line }: { amount: unknown }) => line), { name: 'b', quantity: 1, unitPrice: money('100000000000000') }];
    expect(await refusedPaths(user.patch(`/api/deals/${deal.id}`, { version: deal.version, fields: { lines } }))).toEqual(['fields.lines']);
    const pasted = await user.post('/api/bulk', { changes: [{ type: 'deal', id: deal.id, version: deal.version, field: 'lines', value: lines }] });
    expect(pasted.json.results[0]).toEqual({ status: 'invalid', reason: expect.stringMatching(/lines: the lines add up to/) });
    expect((await user.get(`/api/deals/${deal.id}`)).json).toMatchObject({ version: deal.version, amount: money('900000000000000.00') });
  });
});

describe('dates', () => {
  it('refuses years 0000 and 9999 (and outside 1900-2200) in dates, times and custom date fields', async () => {
    const field = await user.post('/api/fields/contact', { label: 'Birthday', type: 'date' });
    for (const date of ['0000-01-01', '9999-12-31', '1899-12-31', '2201-01-01']) {
      expect(await refusedPaths(user.post('/api/deals', { name: 'Dated', expectedClose: date })), date).toEqual(['expectedClose']);
      expect(await refusedPaths(user.post('/api/activities', { name: 'Due', kind: 'task', dueAt: `${date}T09:00:00Z` })), date).toEqual(['dueAt']);
      expect(await refusedPaths(user.post('/api/contacts', { name: 'Born', [field.json.key]: date })), date).toEqual([field.json.key]);
    }
    for (const date of ['1900-01-01', '2200-12-31']) {
      expect((await user.post('/api/deals', { name: 'In range', expectedClose: date })).status, date).toBe(201);
    }
  });
});

describe('phone extensions', () => {
  it('stores the extension after the E.164 number, shows it, and still finds the number by prefix', async () => {
    const created = await user.post('/api/contacts', { name: 'Switchboard Sam', phones: ['+44 20 7946 0958 ext. 123', '+1 212 555 0100 x45'] });
    expect(created.status, created.text).toBe(201);
    expect(created.json.phones).toEqual(['+442079460958 ext. 123', '+12125550100 ext. 45']);
    const lead = await user.post('/api/leads', { name: 'Lead with ext', phone: '+44 20 7946 0958 #7' });
    expect(lead.json.phone).toBe('+442079460958 ext. 7');

    const found = await user.get(`/api/search?q=${encodeURIComponent('+44 20 7946')}&types=contact`);
    expect(found.json.items).toEqual([expect.objectContaining({ id: created.json.id, match: { kind: 'phone', value: '+442079460958 ext. 123' } })]);
    // Another extension of the same switchboard is another person, not a duplicate.
    const colleague = (await user.post('/api/contacts', { name: 'Colleague', phones: ['+44 20 7946 0958 ext. 124'] })).json;
    expect((await user.get(`/api/contacts/${colleague.id}/duplicates`)).json.items).toEqual([]);
  });
});

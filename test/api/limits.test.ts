/**
 * Every limit on what a request may carry, at the limit (accepted) and one over it (refused with a
 * 4xx naming the field): counts of lists, lengths of texts, sizes of bodies and items, the largest
 * values and page sizes. One row per limit (LIMITS): `request(n)` is the request holding n of what
 * is limited (items, characters, digits, bytes, or the value n itself).
 *
 * Limits whose largest value no request can hold for another reason (a type name of 50 characters:
 * no type has one; an owner of 64: no user's id is that long) are checked over the limit, and at it
 * for not being refused for its size (`unreachable` says why). Response sizes are not here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { MAX_CELL_CHANGES } from '../../functions/contracts/bulk.ts';
import { MAX_TRASH_ITEMS } from '../../functions/contracts/trash.ts';
import { MAX_LOOKUP_NAMES, MAX_NAME_IDS, MAX_NAME_IDS_PER_POST } from '../../functions/contracts/record-names.ts';
import { MAX_IN_VALUES, MAX_VIEW_ROW_IDS_IN_BODY, MAX_VIEW_ROW_IDS_IN_QUERY, MAX_VIEW_ROWS_PER_RESPONSE } from '../../functions/contracts/views.ts';
import { MAX_UPLOAD_BYTES } from '../../functions/contracts/imports.ts';
import { MAX_BODY_BYTES } from '../../functions/api/http.ts';
import { MAX_INSTANCE_PAGE, MAX_STEP_NAME, MAX_TIMELINE_PAGE } from '../../functions/contracts/processes.ts';
import { MAX_TASK_PAGE } from '../../functions/contracts/tasks.ts';
import { MAX_MARKED_READ, MAX_NOTIFICATION_PAGE } from '../../functions/contracts/notifications.ts';
import { MAX_FORM_FIELDS } from '../../functions/contracts/forms.ts';
import { MAX_CONFIG_BYTES, MAX_FULFILMENT_STEPS, MAX_ORDER_LINES, MAX_START_BYTES } from '../../functions/contracts/quick-sale.ts';
import { ACTIONS } from '../../functions/contracts/roles.ts';
import { ITEM_LIMIT_BYTES } from '../../functions/records/item-size.ts';
import { MAX_DERIVED_ITEMS } from '../../functions/records/derived-items.ts';
import { MAX_BODY_BYTES as GATEWAY_MAX_BODY_BYTES } from '../../local/gateway/index.ts';
import { TABLE } from '../../infra/app-resources.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { send, type RouteRequest } from '../support/route-requests.ts';
import { untilDone } from '../../frontend/src/lib/api/until-done.ts';
import { MAX_HOLIDAYS, MAX_ICS_BYTES, MAX_ICS_EVENTS, MAX_IMPORT_YEARS, MAX_SHIFTS_PER_DAY } from '../../functions/contracts/calendars.ts';
import { DATE_YEARS } from '../../functions/contracts/values.ts';
import { MAX_PERIOD_DAYS } from '../../functions/contracts/analytics.ts';
import { dayOff, icsText } from '../support/ics-file.ts';
import { configOfBytes, fulfilmentStep, line, order, orderOfBytes, quickSaleConfig } from '../support/quick-sales.ts';

const TENANT = 'limits';
let cloud: TestCloud;
let user: ApiClient;
/** 1,000 companies and 50 contacts, 50 teams, a saved view, custom fields of companies. */
let companies: Array<{ id: string; name: string }>;
let contacts: string[];
let teams: string[];
let viewId: string;
let fields: { text: string; url: string; relations: string; user: string; essay: string; essayTwo: string };
let sub: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf(TENANT, ['administrator']);
  sub = (await user.get('/api/me')).json.sub;
  const imported = async (plural: string, count: number) => {
    const csv = ['Name', ...Array.from({ length: count }, (_, i) => `${plural} ${String(i).padStart(4, '0')}`)].join('\n');
    const job = await user.request('POST', `/api/imports?type=${plural}`, csv, { 'content-type': 'text/csv' });
    expect(job.json.ok, job.text).toBe(count);
    return ((await user.get(`/api/${plural}?limit=1000`)).json.items as Array<{ id: string; name: string }>).sort((a, b) => a.name.localeCompare(b.name));
  };
  companies = await imported('companies', 1000);
  contacts = (await imported('contacts', 50)).map((contact) => contact.id);
  teams = [];
  for (let i = 0; i < 50; i++) teams.push((await user.post('/api/teams', { name: `Team ${i}` })).json.id);
  viewId = (await user.post('/api/views/company', { name: 'All', columns: ['name'] })).json.id;
  const field = async (body: object) => (await user.post('/api/fields/company', body)).json.key as string;
  fields = {
    text: await field({ label: 'Motto', type: 'text' }),
    url: await field({ label: 'Site', type: 'url' }),
    relations: await field({ label: 'Partners', type: 'relation', target: 'company', multiple: true }),
    user: await field({ label: 'Manager', type: 'user' }),
    essay: await field({ label: 'Essay', type: 'long_text' }),
    essayTwo: await field({ label: 'Essay two', type: 'long_text' }),
  };
}, 120_000);
afterAll(() => cloud?.stop());

interface Limit {
  /** The route as ROUTES spells it (what the test is named after). */
  route: string;
  /** The field a refusal names: an issue path (`changes`, `query.limit`, `fields.cf_x`). */
  path: string;
  limit: number;
  /** The request holding `n` of what is limited. */
  request: (n: number) => RouteRequest | Promise<RouteRequest>;
  /** Over the limit the answer is a 413 with this code (and, with a path, an issue naming it). */
  tooLarge?: string;
  /** Why no request can hold the largest value: at the limit, it is not refused by this limit. */
  unreachable?: string;
  /** Every path the refusal names, when it names more than `path`. */
  names?: string[];
  /** What the reason over the limit says, when it does not give the limit as a number. */
  reason?: RegExp;
  /** What the answer at the limit holds, beyond a 2xx (`sent`: the request it answered). */
  applied?: (json: any, sent: RouteRequest) => void | Promise<void>;
}

const chars = (n: number, char = 'x') => char.repeat(n);
const CSV_HEAD = 'Name,Notes\nPadded Co,';
const post = (path: string, body: unknown): RouteRequest => ({ method: 'POST', path, body });
const patch = (path: string, body: unknown): RouteRequest => ({ method: 'PATCH', path, body });
const get = (path: string): RouteRequest => ({ method: 'GET', path });
const times = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));
/** `{a: {b: value}}` for the path `a.b`. */
const at = (path: string, value: unknown): Record<string, unknown> =>
  path.split('.').reduceRight<Record<string, unknown>>((inner, key, i, keys) => (i === keys.length - 1 ? { [key]: value } : { [key]: inner }), {});
/** An e-mail address of n characters; the i-th of a list. */
const email = (n: number, i = 0) => `${chars(n - '@example.com'.length - String(i).length)}${i}@example.com`;
/** A phone number of n characters as typed (spaces inside count): `+44 ... 20 7946 09nn`. */
const phone = (n: number, i = 0) => `+44${chars(n - 13, ' ')}20794609${String(i).padStart(2, '0')}`;
/** A domain of n characters (labels of at most 63). */
const domain = (n: number) => `${chars(63, 'a')}.${chars(63, 'b')}.${chars(63, 'c')}.${chars(n - 196, 'd')}.com`;
/** A comma-separated list of record type names of n characters: `lead`, then `,lead` (5), `,company` (8) and `,activity` (9). */
const typeNames = (n: number) => {
  const rest = n - 'lead'.length;
  for (let long = 0; long * 9 <= rest; long++) {
    for (let middle = 0; long * 9 + middle * 8 <= rest; middle++) {
      const short = rest - long * 9 - middle * 8;
      if (short % 5 === 0) return `lead${',lead'.repeat(short / 5)}${',company'.repeat(middle)}${',activity'.repeat(long)}`;
    }
  }
  throw new Error(`no list of type names has ${n} characters`);
};

/**
 * An import of one company whose mapping is n characters: the name column, and columns of the file
 * to skip, whose names (letters, unchanged in a URL) make up the length.
 */
const importMapped = (n: number): RouteRequest => {
  const columns = ['Name'];
  const entry = ',"":null'.length;
  // Names of at most 200 characters, none empty: the last takes what is left.
  for (let rest = n - '{"Name":"name"}'.length; rest > 0; ) {
    const length = rest - entry <= 200 ? rest - entry : Math.min(200, rest - 2 * entry - 1);
    columns.push(chars(length, String.fromCharCode(97 + (columns.length % 26))));
    rest -= length + entry;
  }
  const mapping = `{${columns.map((column, i) => `"${column}":${i === 0 ? '"name"' : 'null'}`).join(',')}}`;
  const csv = `${columns.join(',')}\nMapped Co${','.repeat(columns.length - 1)}\n`;
  return { method: 'POST', path: `/api/imports?type=companies&dryRun=true&mapping=${encodeURIComponent(mapping)}`, body: csv, headers: { 'content-type': 'text/csv' } };
};

/** A locale Intl knows of n (35 or more) characters: German numbers, and private-use subtags (of at most 8 characters each) for the length. */
const numberLocale = (n: number) => `de-DE-x-${chars(8, 'a')}-${chars(8, 'b')}-${chars(7, 'c')}-${chars(n - 34, 'd')}`;

/** A record of each type with `value` at `path` (and what else the type requires). */
const record = (plural: string, path: string, value: unknown) => post(`/api/${plural}`, { name: 'Limited', ...(plural === 'activities' ? { kind: 'task' } : {}), ...at(path, value) });
const text = (plural: string, path: string, limit: number): Limit => ({ route: `POST /api/${plural}`, path, limit, request: (n) => record(plural, path, chars(n)) });
const list = (plural: string, path: string, limit: number, item: (i: number) => unknown): Limit => ({ route: `POST /api/${plural}`, path, limit, request: (n) => record(plural, path, times(n, item)) });


/** The companies at the versions they are at now (live or in the trash). */
async function current(trash: boolean): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  let cursor = '';
  do {
    const page = (await user.get(`/api/companies${trash ? '/trash' : ''}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
    for (const item of page.items as Array<{ id: string; version: number }>) versions.set(item.id, item.version);
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return versions;
}
/**
 * The first `count` companies, live, at their versions: brought back from the trash if need be.
 * Writing 1,000 records in one request takes longer than the gateway waits (30 s) on a loaded
 * 2-core machine, so the lists at their limit write 100 records (10 cells of each in a bulk
 * change; in the trash and back, with 900 records that do not exist).
 */
async function live(count = RECORDS) {
  const trashed = await current(true);
  const back = companies.filter((c) => trashed.has(c.id)).map((c) => ({ type: 'company', id: c.id, version: trashed.get(c.id)! }));
  if (back.length > 0) expect((await user.post('/api/trash/restore', { items: back })).status).toBe(200);
  // Versions only of those asked for: after each row (none asked for), the 1,000 are not read.
  if (count === 0) return [];
  const versions = await current(false);
  return companies.slice(0, count).map((c) => ({ type: 'company', id: c.id, version: versions.get(c.id)! }));
}
/** The first company at its version: live, as every row leaves them (afterEach). */
const firstCompany = async () => ({ type: 'company', id: companies[0].id, version: (await user.get(`/api/companies/${companies[0].id}`)).json.version as number });
/** The first 100 companies, in the trash, at their trashed versions. */
async function inTrash() {
  expect((await user.post('/api/trash', { items: await live() })).status).toBe(200);
  const versions = await current(true);
  return companies.slice(0, RECORDS).map((c) => ({ type: 'company', id: c.id, version: versions.get(c.id)! }));
}
const RECORDS = 100;
/** n cell changes: 10 fields of each of the first 100 companies. */
async function cells(n: number) {
  const records = await live();
  const values: Array<[string, (i: number) => unknown]> = [
    ['name', (i) => `Bulk ${i}`],
    ['industry', () => 'Bulk'],
    ['size', (i) => i],
    ['tags', (i) => [`bulk ${i}`]],
    ['address', () => ({ city: 'Bulk' })],
    ['taxId', (i) => `TAX ${i}`],
    ['domain', (i) => `bulk-${i}.example`],
    ['emails', (i) => [`bulk-${i}@example.com`]],
    [fields.text, () => 'Bulk motto'],
    [fields.url, () => 'https://example.com/bulk'],
  ];
  return times(n, (i) => ({ ...records[Math.floor(i / values.length) % RECORDS], field: values[i % values.length][0], value: values[i % values.length][1](i) }));
}
/** `items`, and then records that do not exist, n in all (over a limit only those: refused before anything is read, a list needs no records moved to the trash or back for it). */
const padded = (n: number, items: Array<{ type: string; id: string; version: number }>) => [...items, ...times(n - items.length, () => ({ type: 'company', id: ulid(), version: 1 }))];
/** How many of a bulk answer's results have each status. */
const statuses = (results: Array<{ status: string }>) => results.reduce<Record<string, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

/**
 * The results of a list of 1,000 at its limit once what it answered `later` (past its work
 * budget, which a loaded machine reaches within 1,000 items) is sent again, as the clients do.
 */
async function settled(json: { results: Array<{ status: string }> }, sent: RouteRequest, list: 'changes' | 'items') {
  const body = sent.body as Record<string, unknown[]>;
  let first = true;
  return untilDone(body[list], async (items) => {
    if (first) return ((first = false), json.results);
    const again = await send(user, { ...sent, body: { ...body, [list]: items } });
    expect(again.status, again.text.slice(0, 500)).toBe(200);
    return again.json.results as Array<{ status: string }>;
  });
}

/** A company whose stored item is `bytes` long as DynamoDB counts it (functions/records/item-size.ts), made so by its essay fields. */
async function companyOfItemBytes(bytes: number): Promise<RouteRequest> {
  const made = (await user.post('/api/companies', { name: 'Heavy', [fields.essay]: chars(200_000) })).json;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.dynamoEndpoint }));
  const stored = (await db.send(new GetCommand({ TableName: TABLE.name, Key: { pk: `T#${TENANT}#COMPANY#${made.id}`, sk: 'RECORD' } }))).Item!;
  db.destroy();
  // The change adds the second essay (`"key":"..."` and a comma) and moves the version from 1 to 2.
  const withoutSecond = Buffer.byteLength(JSON.stringify(stored)) + `,"${fields.essayTwo}":""`.length;
  return patch(`/api/companies/${made.id}`, { version: 1, fields: { [fields.essayTwo]: chars(bytes - withoutSecond) } });
}

/** A quick sale started on a company of the tenant's, its order changed by `input` (a new key unless one is given). */
const quickSaleStart = (input: Record<string, unknown>, key = ulid()) => post(`/api/companies/${companies[0].id}/processes`, { process: 'quick-sale', idempotencyKey: key, input: order({ lines: [line('One', 1)], ...input }) });

/** The quick sale's configuration saved over its current version. */
const quickSaleConfigured = async (config: unknown): Promise<RouteRequest> => ({
  method: 'PUT',
  path: '/api/processes/quick-sale/config',
  body: { version: (await user.get('/api/processes/quick-sale/config')).json.version, config },
});

/** One quick sale's instance, started once (its timeline is read at the page limit). */
let sale: Promise<string> | undefined;
const aSale = () => {
  const start = quickSaleStart({});
  return (sale ??= user.post(start.path, start.body).then((started) => started.json.id as string));
};

const LIMITS: Limit[] = [
  // Sizes of a whole request or record.
  { route: 'POST /api/companies', path: '', limit: MAX_BODY_BYTES, tooLarge: 'PayloadTooLarge', request: (n) => ({ method: 'POST', path: '/api/companies', body: `{"name":"Padded"}${chars(n - 17, ' ')}` }) },
  { route: 'POST /api/imports', path: '', limit: GATEWAY_MAX_BODY_BYTES, tooLarge: 'gateway', request: (n) => ({ method: 'POST', path: '/api/imports?type=companies&dryRun=true', body: `${CSV_HEAD}${chars(n - CSV_HEAD.length - 1)}\n`, headers: { 'content-type': 'text/csv' } }) },
  { route: 'PATCH /api/companies/{id}', path: 'fields.essayTwo', limit: ITEM_LIMIT_BYTES, tooLarge: 'ItemTooLarge', request: companyOfItemBytes },
  {
    route: 'POST /api/contacts',
    path: 'companyIds',
    names: ['companyIds', 'emails', 'phones'],
    limit: MAX_DERIVED_ITEMS,
    // Name 1, per e-mail and phone a search entry and a duplicate lookup (20 + 20 of each: 80), per company a reverse relation.
    request: (n) => post('/api/contacts', { name: 'Indexed', emails: times(20, (i) => email(30, i)), phones: times(20, (i) => phone(16, i)), companyIds: companies.slice(0, n - 81).map((c) => c.id) }),
  },
  // Lists of many at once.
  { route: 'POST /api/bulk', path: 'changes', limit: MAX_CELL_CHANGES, request: async (n) => post('/api/bulk', { changes: await cells(n) }), applied: async (json, sent) => expect(statuses(await settled(json, sent, 'changes'))).toEqual({ ok: MAX_CELL_CHANGES }) },
  { route: 'POST /api/trash', path: 'items', limit: MAX_TRASH_ITEMS, request: async (n) => post('/api/trash', { items: padded(n, n > MAX_TRASH_ITEMS ? [] : await live()) }), applied: async (json, sent) => expect(statuses(await settled(json, sent, 'items'))).toEqual({ ok: RECORDS, notFound: MAX_TRASH_ITEMS - RECORDS }) },
  { route: 'POST /api/trash/restore', path: 'items', limit: MAX_TRASH_ITEMS, request: async (n) => post('/api/trash/restore', { items: padded(n, n > MAX_TRASH_ITEMS ? [] : await inTrash()) }), applied: async (json, sent) => expect(statuses(await settled(json, sent, 'items'))).toEqual({ ok: RECORDS, notFound: MAX_TRASH_ITEMS - RECORDS }) },
  { route: 'GET /api/companies/names', path: 'query.ids', limit: MAX_NAME_IDS, request: (n) => get(`/api/companies/names?ids=${companies.slice(0, n).map((c) => c.id).join(',')}`) },
  { route: 'POST /api/companies/names', path: 'ids', limit: MAX_NAME_IDS_PER_POST, request: (n) => post('/api/companies/names', { ids: times(n, (i) => companies[i % 1000].id) }) },
  { route: 'POST /api/companies/ids-by-name', path: 'names', limit: MAX_LOOKUP_NAMES, request: (n) => post('/api/companies/ids-by-name', { names: times(n, (i) => companies[i % 1000].name) }) },
  { route: 'POST /api/companies/ids-by-name', path: 'names.0', limit: 1000, request: (n) => post('/api/companies/ids-by-name', { names: [chars(n)] }) },
  { route: 'GET /api/views/{type}/{id}/rows', path: 'query.ids', limit: MAX_VIEW_ROW_IDS_IN_QUERY, request: (n) => get(`/api/views/company/${viewId}/rows?ids=${companies.slice(0, n).map((c) => c.id).join(',')}`) },
  { route: 'POST /api/views/{type}/rows', path: 'ids', limit: MAX_VIEW_ROW_IDS_IN_BODY, request: (n) => post('/api/views/company/rows', { columns: ['name'], ids: times(n, (i) => companies[i % 1000].id) }) },
  // Page sizes and other query values.
  { route: 'GET /api/companies', path: 'query.limit', limit: 1000, request: (n) => get(`/api/companies?limit=${n}`) },
  { route: 'GET /api/tasks', path: 'query.limit', limit: MAX_TASK_PAGE, request: (n) => get(`/api/tasks?limit=${n}`) },
  { route: 'GET /api/notifications', path: 'query.limit', limit: MAX_NOTIFICATION_PAGE, request: (n) => get(`/api/notifications?limit=${n}`) },
  { route: 'POST /api/notifications/read', path: 'ids', limit: MAX_MARKED_READ, request: (n) => post('/api/notifications/read', { ids: times(n, (i) => i.toString(16).padStart(32, '0')) }) },
  { route: 'GET /api/processes/instances', path: 'query.limit', limit: MAX_INSTANCE_PAGE, request: (n) => get(`/api/processes/instances?limit=${n}`) },
  { route: 'GET /api/processes/instances', path: 'query.step', limit: MAX_STEP_NAME, request: (n) => get(`/api/processes/instances?process=quick-sale&step=${chars(n, 's')}`) },
  { route: 'GET /api/processes/instances/{id}/timeline', path: 'query.limit', limit: MAX_TIMELINE_PAGE, request: async (n) => get(`/api/processes/instances/${await aSale()}/timeline?limit=${n}`) },
  // A process's start: its order, and the key that makes it once.
  { route: 'POST /api/{plural}/{id}/processes', path: 'input.lines', limit: MAX_ORDER_LINES, request: (n) => quickSaleStart({ lines: times(n, (i) => line(`Line ${i}`, 1)) }) },
  { route: 'POST /api/{plural}/{id}/processes', path: 'input.lines.0.name', limit: 200, request: (n) => quickSaleStart({ lines: [line(chars(n), 1)] }) },
  { route: 'POST /api/{plural}/{id}/processes', path: 'input.lines.0.quantity', limit: 1_000_000_000, request: (n) => quickSaleStart({ lines: [line('Many', n)] }) },
  { route: 'POST /api/{plural}/{id}/processes', path: 'input.delivery.address', limit: 1_000, request: (n) => quickSaleStart({ delivery: { address: chars(n), date: '2026-12-20' } }) },
  // The whole order within its bytes, so that with the configuration it stays well within an execution's 256 KiB.
  { route: 'POST /api/{plural}/{id}/processes', path: 'input', limit: MAX_START_BYTES, request: (n) => post(`/api/companies/${companies[0].id}/processes`, { process: 'quick-sale', idempotencyKey: ulid(), input: orderOfBytes(n) }) },
  { route: 'PUT /api/processes/quick-sale/config', path: 'config.fulfilment', limit: MAX_FULFILMENT_STEPS, request: (n) => quickSaleConfigured(quickSaleConfig(null, { fulfilment: times(n, (i) => fulfilmentStep(`Step ${i}`)) })) },
  { route: 'PUT /api/processes/quick-sale/config', path: 'config.fulfilment.0.form.fields', limit: MAX_FORM_FIELDS, request: (n) => quickSaleConfigured(quickSaleConfig(null, { fulfilment: [fulfilmentStep('Pick', times(n, (f) => ({ key: `f${f}`, label: `Field ${f}`, type: 'number' })))] })) },
  { route: 'PUT /api/processes/quick-sale/config', path: 'config', limit: MAX_CONFIG_BYTES, request: (n) => quickSaleConfigured(configOfBytes(n)) },
  { route: 'POST /api/{plural}/{id}/processes', path: 'input.notes', limit: 10_000, request: (n) => quickSaleStart({ notes: chars(n) }) },
  { route: 'POST /api/{plural}/{id}/processes', path: 'idempotencyKey', limit: 64, reason: /64/, request: (n) => quickSaleStart({}, chars(n, 'k')) },
  { route: 'GET /api/companies/trash', path: 'query.limit', limit: 1000, request: (n) => get(`/api/companies/trash?limit=${n}`) },
  { route: 'GET /api/changes', path: 'query.limit', limit: 1000, request: (n) => get(`/api/changes?after=0&limit=${n}`) },
  { route: 'GET /api/changes', path: 'query.after', limit: 100, request: (n) => get(`/api/changes?after=${chars(n, '9')}`) },
  { route: 'GET /api/audit', path: 'query.limit', limit: 500, request: (n) => get(`/api/audit?limit=${n}`) },
  { route: 'GET /api/audit', path: 'query.before', limit: 100, request: (n) => get(`/api/audit?before=${chars(n, 'z')}`) },
  { route: 'GET /api/search', path: 'query.limit', limit: 50, request: (n) => get(`/api/search?q=companies&limit=${n}`) },
  // A report's period: at most 5 years (contracts/analytics.ts), however it is given.
  { route: 'GET /api/analytics/{report}', path: 'query.from', limit: MAX_PERIOD_DAYS - 1, reason: /5 years/, request: (n) => get(`/api/analytics/losses?pipeline=default&from=${new Date(Date.UTC(2026, 5, 30) - n * 86_400_000).toISOString().slice(0, 10)}&to=2026-06-30`) },
  { route: 'GET /api/analytics/{report}/drill', path: 'query.cell', limit: 200, unreachable: 'a cell names a number of the report, and none has a name of 200 characters', request: (n) => get(`/api/analytics/losses/drill?pipeline=default&cell=${chars(n, 'c')}`) },
  { route: 'GET /api/search', path: 'query.q', limit: 200, request: (n) => get(`/api/search?q=${chars(n, 'q')}`) },
  { route: 'GET /api/search', path: 'query.types', limit: 200, request: (n) => get(`/api/search?q=co&types=${encodeURIComponent(typeNames(n))}`) },
  { route: 'GET /api/views/{type}/{id}/rows', path: 'query.limit', limit: MAX_VIEW_ROWS_PER_RESPONSE, request: (n) => get(`/api/views/company/${viewId}/rows?limit=${n}`) },
  { route: 'POST /api/imports', path: 'query.mapping', limit: 10_000, request: importMapped },
  { route: 'POST /api/imports', path: 'query.mapping', names: [`query.mapping.${chars(201)}`], limit: 200, request: (n) => ({ method: 'POST', path: `/api/imports?type=companies&dryRun=true&mapping=${encodeURIComponent(`{"Name":"name","${chars(n)}":null}`)}`, body: `Name,${chars(n)}\nMapped Co,\n`, headers: { 'content-type': 'text/csv' } }) },
  { route: 'POST /api/imports', path: 'query.mapping.Name', limit: 100, unreachable: 'no field has a key of 100 characters', request: (n) => ({ method: 'POST', path: `/api/imports?type=companies&dryRun=true&mapping=${encodeURIComponent(`{"Name":"${chars(n)}"}`)}`, body: 'Name\nMapped Co\n', headers: { 'content-type': 'text/csv' } }) },
  { route: 'POST /api/imports', path: 'query.locale', limit: 35, request: (n) => ({ method: 'POST', path: `/api/imports?type=companies&dryRun=true&locale=${numberLocale(n)}`, body: 'Name\nLocal Co\n', headers: { 'content-type': 'text/csv' } }) },
  { route: 'POST /api/imports', path: 'query.type', limit: 50, unreachable: 'no record type is named by 50 characters', request: (n) => ({ method: 'POST', path: `/api/imports?type=${chars(n)}&dryRun=true`, body: 'Name\nX\n', headers: { 'content-type': 'text/csv' } }) },
  // Bulk changes, trash and restore: each item.
  { route: 'POST /api/bulk', path: 'changes.0.type', limit: 50, request: async (n) => post('/api/bulk', { changes: [{ ...(await firstCompany()), type: chars(n), field: 'industry', value: 'x' }] }) },
  { route: 'POST /api/bulk', path: 'changes.0.field', limit: 100, request: async (n) => post('/api/bulk', { changes: [{ ...(await firstCompany()), field: chars(n), value: 'x' }] }) },
  { route: 'POST /api/bulk', path: 'idempotencyKey', limit: 100, request: async (n) => post('/api/bulk', { idempotencyKey: chars(n, 'k'), changes: [{ ...(await firstCompany()), field: 'industry', value: `Keyed ${n}` }] }) },
  { route: 'POST /api/trash', path: 'items.0.type', limit: 50, request: async (n) => post('/api/trash', { items: [{ ...(await firstCompany()), type: chars(n) }] }) },
  { route: 'POST /api/trash', path: 'idempotencyKey', limit: 100, request: async (n) => post('/api/trash', { idempotencyKey: chars(n, 't'), items: [{ type: 'company', id: companies[999].id, version: 99 }] }) },
  // Users, teams, roles.
  { route: 'POST /api/users', path: 'email', limit: 254, request: (n) => post('/api/users', { email: `${ulid().toLowerCase()}${chars(n - 26 - '@limits.example'.length)}@limits.example`, role: 'marketing' }) },
  { route: 'POST /api/users', path: 'name', limit: 200, request: (n) => post('/api/users', { email: `${ulid().toLowerCase()}@limits.example.com`, name: chars(n), role: 'marketing' }) },
  { route: 'POST /api/users', path: 'teams', limit: 50, request: (n) => post('/api/users', { email: `${ulid().toLowerCase()}@limits.example.com`, role: 'marketing', teams: times(n, (i) => teams[i] ?? ulid()) }) },
  { route: 'POST /api/users', path: 'role', limit: 64, unreachable: 'no role has an id of 64 characters (custom ones are ULIDs)', request: (n) => post('/api/users', { email: `${ulid().toLowerCase()}@limits.example.com`, role: chars(n) }) },
  { route: 'PATCH /api/users/{sub}', path: 'fields.name', limit: 200, request: async (n) => patch(`/api/users/${sub}`, { version: (await user.get('/api/users')).json.items.find((u: { sub: string }) => u.sub === sub).version, fields: { name: chars(n) } }) },
  {
    route: 'PATCH /api/tenant',
    path: 'name',
    limit: 100,
    request: async (n) => patch('/api/tenant', { version: (await user.get('/api/tenant')).json.version, name: chars(n) }),
    applied: (json) => expect(json.name).toBe(chars(100)),
  },
  { route: 'POST /api/teams', path: 'name', limit: 100, request: (n) => post('/api/teams', { name: `${ulid()}${chars(n - 26)}` }) },
  { route: 'POST /api/teams', path: 'supervisor', limit: 64, unreachable: 'no user has an id of 64 characters', request: (n) => post('/api/teams', { name: `Supervised ${ulid()}`, supervisor: chars(n) }) },
  { route: 'POST /api/roles', path: 'name', limit: 100, request: (n) => post('/api/roles', { name: `${ulid()}${chars(n - 26)}`, types: {} }) },
  { route: 'POST /api/roles', path: 'types.company.actions', limit: ACTIONS.length, request: (n) => post('/api/roles', { name: `Every action ${ulid()}`, types: { company: { actions: times(n, (i) => ACTIONS[i % ACTIONS.length]), scope: 'all' } } }) },
  { route: 'POST /api/roles', path: 'types.company.readOnlyFields', limit: 200, request: (n) => post('/api/roles', { name: `Read only ${ulid()}`, types: { company: { actions: ['read'], scope: 'all', readOnlyFields: times(n, (i) => `field${i}`) } } }) },
  { route: 'POST /api/roles', path: 'types.company.readOnlyFields.0', limit: 64, request: (n) => post('/api/roles', { name: `Long field ${ulid()}`, types: { company: { actions: ['read'], scope: 'all', readOnlyFields: [chars(n, 'f')] } } }) },
  // Custom fields and their values.
  { route: 'POST /api/fields/{type}', path: 'label', limit: 100, request: (n) => post('/api/fields/company', { label: `${ulid()}${chars(n - 26)}`, type: 'text' }) },
  { route: 'POST /api/fields/{type}', path: 'options', limit: 500, request: (n) => post('/api/fields/company', { label: `Choice ${ulid()}`, type: 'single_select', options: times(n, (i) => `Option ${i}`) }) },
  { route: 'POST /api/fields/{type}', path: 'options.0', limit: 100, request: (n) => post('/api/fields/company', { label: `Long choice ${ulid()}`, type: 'single_select', options: [chars(n)] }) },
  { route: 'POST /api/fields/{type}', path: 'target', limit: 50, unreachable: 'no record type is named by 50 characters', request: (n) => post('/api/fields/company', { label: `Link ${ulid()}`, type: 'relation', target: chars(n) }) },
  { route: 'POST /api/companies', path: 'motto', limit: 1000, request: (n) => post('/api/companies', { name: 'Custom text', [fields.text]: chars(n) }) },
  { route: 'POST /api/companies', path: 'site', limit: 2048, request: (n) => post('/api/companies', { name: 'Custom url', [fields.url]: `https://example.com/${chars(n - 20)}` }) },
  { route: 'POST /api/companies', path: 'manager', limit: 128, unreachable: 'a user field names a user, and no user has an id of 128 characters', request: (n) => post('/api/companies', { name: 'Custom user', [fields.user]: chars(n) }) },
  { route: 'POST /api/companies', path: 'partners', limit: 100, unreachable: `a record derives at most ${MAX_DERIVED_ITEMS} items: 100 relations and its name are 101`, request: (n) => post('/api/companies', { name: 'Custom relations', [fields.relations]: companies.slice(0, n).map((c) => c.id) }) },
  // Views.
  { route: 'POST /api/views/{type}', path: 'name', limit: 100, request: (n) => post('/api/views/company', { name: chars(n), columns: ['name'] }) },
  { route: 'POST /api/views/{type}', path: 'columns', limit: 100, request: (n) => post('/api/views/company', { name: 'Wide', columns: times(n, () => 'name') }) },
  { route: 'POST /api/views/{type}', path: 'columns.0', limit: 100, unreachable: 'no field has a name of 100 characters (custom keys have at most 63)', request: (n) => post('/api/views/company', { name: 'Unknown column', columns: [chars(n)] }) },
  { route: 'POST /api/views/{type}', path: 'filters', limit: 20, request: (n) => post('/api/views/company', { name: 'Filtered', columns: ['name'], filters: times(n, () => ({ field: 'name', op: 'notEmpty' })) }) },
  { route: 'POST /api/views/{type}', path: 'filters.0.value', limit: 1000, request: (n) => post('/api/views/company', { name: 'Long filter', columns: ['name'], filters: [{ field: 'name', op: 'contains', value: chars(n) }] }) },
  { route: 'POST /api/views/{type}', path: 'filters.0.value', limit: MAX_IN_VALUES, request: (n) => post('/api/views/company', { name: 'Filter of many', columns: ['name'], filters: [{ field: 'name', op: 'in', value: times(n, (i) => `Name ${i}`) }] }) },
  { route: 'POST /api/views/{type}', path: 'sort', limit: 5, request: (n) => post('/api/views/company', { name: 'Sorted', columns: ['name'], sort: times(n, () => ({ field: 'name' })) }) },
  { route: 'POST /api/views/{type}', path: 'pinned', limit: 100, request: (n) => post('/api/views/company', { name: 'Pinned', columns: ['name'], pinned: times(n, () => 'name') }) },
  { route: 'POST /api/views/{type}', path: 'widths.name', limit: 2000, request: (n) => post('/api/views/company', { name: 'Wide column', columns: ['name'], widths: { name: n } }) },
  { route: 'POST /api/views/{type}/export.csv', path: 'search', limit: 200, request: (n) => post('/api/views/company/export.csv', { columns: ['name'], search: chars(n) }) },
  // Imports.
  { route: 'POST /api/imports/uploads', path: 'fileName', limit: 255, request: (n) => post('/api/imports/uploads', { type: 'companies', fileName: `${chars(n - 4)}.csv`, size: 100 }) },
  { route: 'POST /api/imports/uploads', path: 'size', limit: MAX_UPLOAD_BYTES, request: (n) => post('/api/imports/uploads', { type: 'companies', fileName: 'large.csv', size: n }) },
  { route: 'POST /api/imports/uploads', path: 'type', limit: 50, unreachable: 'no record type is named by 50 characters', request: (n) => post('/api/imports/uploads', { type: chars(n), fileName: 'x.csv', size: 100 }) },
  // Business calendars.
  { route: 'PATCH /api/calendars/{id}', path: 'fields.holidays', limit: MAX_HOLIDAYS, request: async (n) => patchCalendar({ holidays: times(n, (i) => ({ date: dayOf2026(i), name: `Day ${i}` })) }), applied: (json) => expect(json.holidays).toHaveLength(MAX_HOLIDAYS) },
  { route: 'PATCH /api/calendars/{id}', path: 'fields.holidays.0.name', limit: 100, request: (n) => patchCalendar({ holidays: [{ date: '2026-12-25', name: chars(n) }] }) },
  { route: 'PATCH /api/calendars/{id}', path: 'fields.hours.mon', limit: MAX_SHIFTS_PER_DAY, request: (n) => patchCalendar({ hours: { ...OFFICE_WEEK, mon: times(n, (i) => ({ from: `${String(2 * i).padStart(2, '0')}:00`, to: `${String(2 * i + 1).padStart(2, '0')}:00` })) } }) },
  { route: 'PATCH /api/calendars/{id}', path: 'fields.timeZone', limit: 64, unreachable: 'no zone of the IANA database has a name of 64 characters', request: (n) => patchCalendar({ timeZone: `Europe/${chars(n - 7)}` }) },
  { route: 'POST /api/calendars/{id}/holidays', path: '', limit: MAX_ICS_BYTES, tooLarge: 'PayloadTooLarge', request: (n) => importIcs(paddedIcs(n)) },
  { route: 'POST /api/calendars/{id}/holidays', path: 'body', limit: MAX_ICS_EVENTS, request: (n) => importIcs(icsText(times(n, (i) => ['DTSTART:20260105T100000Z', `SUMMARY:Meeting ${i}`]))) },
  { route: 'POST /api/calendars/{id}/holidays', path: 'query.until', limit: MAX_IMPORT_YEARS, request: (n) => importIcs(icsText([dayOff('20261225', 'Christmas Day')]), `from=2026&until=${2026 + n - 1}`) },
  { route: 'GET /api/calendars/public-holidays', path: 'query.year', limit: DATE_YEARS.max, request: (n) => get(`/api/calendars/public-holidays?country=DE&year=${n}`) },
  // Owners.
  {
    route: 'PATCH /api/companies/{id}/owner',
    path: 'owner',
    limit: 64,
    unreachable: 'an owner is a user, and no user has an id of 64 characters',
    request: async (n) => patch(`/api/companies/${(await user.post('/api/companies', { name: 'Owned' })).json.id}/owner`, { version: 1, owner: chars(n) }),
  },
  // Merging.
  { route: 'POST /api/companies/{id}/merge', path: 'pick', names: [`pick.${chars(101)}`], limit: 100, unreachable: 'no field has a name of 100 characters', request: (n) => post(`/api/companies/${companies[0].id}/merge`, { otherId: companies[1].id, version: 1, otherVersion: 1, pick: { [chars(n)]: 'this' } }) },
  // Records: companies.
  text('companies', 'name', 200),
  { route: 'POST /api/companies', path: 'domain', limit: 253, request: (n) => record('companies', 'domain', domain(n)) },
  text('companies', 'taxId', 50),
  text('companies', 'industry', 100),
  { route: 'POST /api/companies', path: 'size', limit: 10_000_000, request: (n) => record('companies', 'size', n) },
  text('companies', 'address.street', 200),
  text('companies', 'address.city', 100),
  text('companies', 'address.postalCode', 20),
  text('companies', 'address.region', 100),
  list('companies', 'phones', 20, (i) => phone(16, i)),
  list('companies', 'emails', 20, (i) => email(30, i)),
  { route: 'POST /api/companies', path: 'emails.0', limit: 254, request: (n) => record('companies', 'emails', [email(n)]) },
  { route: 'POST /api/companies', path: 'phones.0', limit: 40, request: (n) => record('companies', 'phones', [phone(n)]) },
  list('companies', 'tags', 50, (i) => `tag ${i}`),
  { route: 'POST /api/companies', path: 'tags.0', limit: 50, request: (n) => record('companies', 'tags', [chars(n)]) },
  // Contacts.
  text('contacts', 'name', 200),
  text('contacts', 'position', 200),
  list('contacts', 'emails', 20, (i) => email(30, i)),
  list('contacts', 'phones', 20, (i) => phone(16, i)),
  list('contacts', 'companyIds', 50, (i) => companies[i].id),
  // Leads.
  text('leads', 'name', 200),
  text('leads', 'companyName', 200),
  text('leads', 'position', 200),
  text('leads', 'source', 100),
  text('leads', 'notes', 10_000),
  // Deals.
  text('deals', 'name', 200),
  { ...text('deals', 'pipeline', 100), unreachable: 'a pipeline is one of the tenant\'s (contracts/deal-stages.ts), none named by 100 characters' },
  { ...text('deals', 'stage', 100), unreachable: 'a stage is one of its pipeline\'s (contracts/deal-stages.ts), none named by 100 characters' },
  list('deals', 'contactIds', 50, (i) => contacts[i]),
  list('deals', 'lines', 200, (i) => ({ name: `Line ${i}`, quantity: 1, unitPrice: { amount: '1.00', currency: 'EUR' } })),
  { route: 'POST /api/deals', path: 'lines.0.name', limit: 200, request: (n) => record('deals', 'lines', [{ name: chars(n), quantity: 1, unitPrice: { amount: '1.00', currency: 'EUR' } }]) },
  { route: 'POST /api/deals', path: 'lines.0.quantity', limit: 1_000_000_000, request: (n) => record('deals', 'lines', [{ name: 'Many', quantity: n, unitPrice: { amount: '1.00', currency: 'EUR' } }]) },
  { route: 'POST /api/deals', path: 'probability', limit: 100, request: (n) => record('deals', 'probability', n) },
  { route: 'POST /api/deals', path: 'amount.amount', limit: 15, reason: /decimal number/, request: (n) => record('deals', 'amount', { amount: chars(n, '9'), currency: 'EUR' }) },
  // Products.
  text('products', 'name', 200),
  text('products', 'sku', 64),
  text('products', 'description', 10_000),
  // Activities.
  text('activities', 'name', 300),
  text('activities', 'notes', 50_000),
  { route: 'POST /api/activities', path: 'assignee', limit: 128, unreachable: 'an assignee is a user, and no user has an id of 128 characters', request: (n) => record('activities', 'assignee', chars(n)) },
];

/** A PATCH of the tenant's calendar at the version it is at. */
const patchCalendar = async (fields: Record<string, unknown>) => patch('/api/calendars/tenant', { version: (await user.get('/api/calendars/tenant')).json.version, fields });
const OFFICE_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day, i) => [day, i < 5 ? [{ from: '09:00', to: '17:00' }] : []]));
const dayOf2026 = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
/** An import of an .ics file into the tenant's calendar at the version it is at. */
const importIcs = async (ics: string, years = 'from=2026&until=2026'): Promise<RouteRequest> => ({ method: 'POST', path: `/api/calendars/tenant/holidays?version=${(await user.get('/api/calendars/tenant')).json.version}&${years}`, body: ics, headers: { 'content-type': 'text/calendar' } });
/** An .ics file of n bytes: one day off, described at length. */
const paddedIcs = (n: number) => {
  const empty = icsText([dayOff('20261225', 'Christmas Day', 'DESCRIPTION:')]);
  return icsText([dayOff('20261225', 'Christmas Day', `DESCRIPTION:${chars(n - Buffer.byteLength(empty))}`)]);
};

/** The issue paths a refusal names, custom fields by their label's key as the row spells them. */
const issuePaths = (response: { json: unknown }) => {
  const keyNames = new Map(Object.entries(fields).map(([name, key]) => [key, name]));
  const label: Record<string, string> = { text: 'motto', url: 'site', relations: 'partners', user: 'manager' };
  return (ApiErrorBody.parse(response.json).error.issues ?? []).map((issue) => issue.path.replace(/cf_[a-z0-9_]+/, (key) => label[keyNames.get(key)!] ?? keyNames.get(key) ?? key));
};

// A row may leave the 1,000 companies in the trash (a restore refused over its limit): the next finds them live.
afterEach(async () => {
  await live(0);
});

describe('every limit on a request', () => {
  it.each(LIMITS.map((limit) => [`${limit.route} ${limit.path || 'body'} <= ${limit.limit}`, limit] as const))('%s', async (_, row) => {
    const sent = await row.request(row.limit);
    const atLimit = await send(user, sent);
    if (row.unreachable) {
      const issues = atLimit.status === 400 ? ApiErrorBody.parse(atLimit.json).error.issues ?? [] : [];
      expect(issues.filter((issue) => issue.path === row.path && new RegExp(`\\b${row.limit}\\b`).test(issue.message)), atLimit.text).toEqual([]);
    } else {
      expect(atLimit.status, atLimit.text.slice(0, 500)).toBeGreaterThanOrEqual(200);
      expect(atLimit.status, atLimit.text.slice(0, 500)).toBeLessThan(300);
      await row.applied?.(atLimit.json, sent);
    }

    const over = await send(user, await row.request(row.limit + 1));
    if (row.tooLarge === 'gateway') {
      // The gateway refuses it before any function runs, in API Gateway's own words.
      expect(over.status).toBe(413);
      expect(over.json).toEqual({ message: 'Request Entity Too Large' });
    } else if (row.tooLarge) {
      expect(over.status, over.text.slice(0, 500)).toBe(413);
      const error = ApiErrorBody.parse(over.json).error;
      expect(error.code).toBe(row.tooLarge);
      if (row.path) expect(issuePaths(over)).toContain(row.path);
      else expect(error.message).toContain(String(row.limit));
    } else {
      expect(over.status, over.text.slice(0, 500)).toBe(400);
      expect(ApiErrorBody.parse(over.json).error.code).toBe('ValidationFailed');
      expect(issuePaths(over).sort()).toEqual(row.names ?? [row.path]);
      // The reason says what the limit is.
      const reasons = (ApiErrorBody.parse(over.json).error.issues ?? []).map((issue) => issue.message);
      const says = row.reason ?? new RegExp(`\\b${row.limit}\\b|${row.limit.toLocaleString('en')}`);
      expect(reasons.some((reason) => says.test(reason)), reasons.join('; ')).toBe(true);
    }
  });
});

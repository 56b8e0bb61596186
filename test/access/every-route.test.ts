/**
 * Every route of the API (ROUTES), asked by a user whose role sees only their own records, in a
 * tenant full of others' records that touch theirs: linked to them, converted from their lead,
 * merged into their contact, duplicated by their import, purged after the trash. Every answer is
 * read whole, and none may carry what the caller may not see (issue 12, "so the class does not
 * come back"):
 *
 * - **contents**: every text of the others' records holds a marker; no answer may hold it
 *   (unless the request itself said that very text);
 * - **records**: an id of another's record may appear only as a reference held by what the caller
 *   sees (a relation field of their record, a lead's `convertedTo`, a change of such a field in
 *   their history, a cell of a relation column), marked `{id, hidden: true}`, or echoed where an
 *   answer lists the ids asked that it leaves out; never as a record, a hit, a name, a group;
 * - **existence**: every request that names another's record is sent again naming an id that
 *   does not exist; the two answers must be alike (ids, times and request ids aside).
 *
 * Of a type that assigns records (`assignees`: activities), Sam's record assigned to the caller
 * is theirs to see (read, changed, its history); one assigned to them and then to someone else,
 * live or purged, is another's again, and the change feed names it only in the changes that
 * concerned them (assigned to them, or taken from them).
 *
 * Each request is sent twice (a repeat, an idempotent retry with the same key). A route this test
 * has no probe for fails it: a new route must say here how it is asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { ANALYTICS_REPORTS } from '../../functions/contracts/analytics.ts';
import type { Route } from '../../functions/api/router.ts';
import { RECORD_TYPES, type RecordTypeSpec } from '../../functions/records/record-types.ts';
import { startTestCloud, type ApiClient, type ApiResponse, type TestCloud } from '../support/cloud.ts';
import { OWN_EVERYTHING, ownedBy, person, withCustomRole, type Person } from '../support/people.ts';
import { purge } from '../support/record-purge.ts';
import { quickSale } from '../support/route-requests.ts';
import { configureQuickSale, fulfilmentTask, quickSaleConfig } from '../support/quick-sales.ts';

const TENANT = 'every-route';
/** In every text of a record the caller may not see (lower case: e-mails and domains are stored so). */
const MARKER = 'qz7secret';
const ULID_TEXT = /[0-7][0-9A-HJKMNP-TV-Z]{25}/g;

let cloud: TestCloud;
let admin: ApiClient;
let sam: Person; // owns what Owen may not see
let owen: Person; // own scope on every type, every action
let cursor0: string;
let partnerKey: string; // a custom relation field of deals

interface World {
  secret: Record<'live' | 'trashed' | 'purged', Map<string, { id: string; version: number }>>;
  own: Record<'live' | 'purged', Map<string, { id: string; version: number }>>;
  /** Owen's records an administrator linked to Sam's. */
  linked: Map<string, { id: string; version: number }>;
  /** Of each type that assigns records: Sam's record assigned to Owen (linked to Sam's records), and Sam's records assigned to Owen and then to Sam, live and purged. */
  assigned: Map<string, { id: string; version: number }>;
  unassigned: Record<'live' | 'purged', Map<string, { id: string; version: number }>>;
  twin: { own: string; secret: string };
  dup: string; // Sam's contact an import of Owen's duplicates
  converted: { handed: { id: string }; own: { id: string } };
  /** A company of the administrator's no record of Owen's names. */
  unlinkedCompany: string;
  merge: { keep: string; gone: string; hiddenDeal: string };
  adminJob: string;
  adminUpload: string;
  adminView: Map<string, string>;
  ownView: Map<string, string>;
  /** The team quick sales are fulfilled by; a quick sale on Sam's company (its id is a secret), and one on Owen's. */
  fulfilment: string;
  samsInstance: string;
  owensInstance: string;
  /** The fulfilment task of the quick sale on Sam's company (Sam is in the team; Owen is in none). */
  samsTask: string;
}
const world = {} as World;
/** Every id of a record Owen may not see. */
const secretIds = new Set<string>();

const secretFields = (type: string, tag: string): Record<string, unknown> => {
  const name = `Qz7secret ${type} ${tag}`;
  switch (type) {
    case 'company': return { name, domain: `${tag}.qz7secret.example`, industry: `${MARKER} industry` };
    case 'contact': return { name, position: `${MARKER} position`, emails: [`${tag}.${MARKER}@leak.example`] };
    case 'lead': return { name, companyName: `${MARKER} company ${tag}`, notes: `${MARKER} notes` };
    // A stage is one of the pipeline's: the secret rides in a line's name.
    case 'deal': return { name, lines: [{ name: `${MARKER} line`, quantity: 1, unitPrice: { amount: '750000', currency: 'EUR' } }] };
    case 'product': return { name, sku: `${MARKER}-${tag}`, description: `${MARKER} description` };
    default: return { name, kind: 'task', notes: `${MARKER} notes` };
  }
};
const ownFields = (type: string, tag: string): Record<string, unknown> => ({ name: `Owen ${type} ${tag}`, ...(type === 'activity' ? { kind: 'task' } : {}) });

async function created(client: ApiClient, plural: string, body: Record<string, unknown>): Promise<{ id: string; version: number; [field: string]: unknown }> {
  const response = await client.post(`/api/${plural}`, body);
  expect(response.status, `${plural}: ${response.text}`).toBe(201);
  return response.json;
}

/** A record of Sam's, made by the administrator; its id is a secret. */
async function samsOwn(type: RecordTypeSpec, fields: Record<string, unknown>) {
  const record = await ownedBy(admin, type.plural, fields, sam.sub);
  secretIds.add(record.id);
  return record;
}

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  sam = await person(cloud, TENANT, 'sales-representative');
  owen = await withCustomRole(cloud, TENANT, admin, OWN_EVERYTHING);
  cursor0 = (await owen.client.get('/api/changes')).json.cursor;
  const partner = await admin.post('/api/fields/deal', { label: 'Partner', type: 'relation', target: 'company' });
  expect(partner.status, partner.text).toBe(201);
  partnerKey = partner.json.key;

  world.secret = { live: new Map(), trashed: new Map(), purged: new Map() };
  world.own = { live: new Map(), purged: new Map() };
  for (const type of RECORD_TYPES) {
    world.secret.live.set(type.name, await samsOwn(type, secretFields(type.name, 'live')));
    const trashed = await samsOwn(type, secretFields(type.name, 'trashed'));
    expect((await admin.delete(`/api/${type.plural}/${trashed.id}?version=${trashed.version}`)).status).toBe(204);
    world.secret.trashed.set(type.name, { id: trashed.id, version: trashed.version + 1 });
    const purged = await samsOwn(type, secretFields(type.name, 'purged'));
    await purge(cloud.dynamoEndpoint, TENANT, admin, type.name, purged.id, purged.version);
    world.secret.purged.set(type.name, purged);
    world.own.live.set(type.name, await created(owen.client, type.plural, ownFields(type.name, 'live')));
    const ownPurged = await created(owen.client, type.plural, ownFields(type.name, 'purged'));
    await purge(cloud.dynamoEndpoint, TENANT, owen.client, type.name, ownPurged.id, 1);
    world.own.purged.set(type.name, ownPurged);
  }
  const secret = (type: string) => world.secret.live.get(type)!.id;

  // Owen's records that point at Sam's: made by the administrator, handed to Owen.
  world.linked = new Map([
    ['contact', await ownedBy(admin, 'contacts', { name: 'Owen linked contact', companyIds: [secret('company')] }, owen.sub)],
    ['deal', await ownedBy(admin, 'deals', { name: 'Owen linked deal', companyId: secret('company'), contactIds: [secret('contact')], [partnerKey]: secret('company'), lines: [{ productId: secret('product'), name: 'Line', quantity: 1, unitPrice: { amount: '10', currency: 'EUR' } }] }, owen.sub)],
    ['activity', await ownedBy(admin, 'activities', { name: 'Owen linked activity', kind: 'call', companyId: secret('company'), contactId: secret('contact'), dealId: secret('deal'), leadId: secret('lead') }, owen.sub)],
  ]);

  // Assigned to Owen; assigned to Owen and then taken from him (secret again).
  world.assigned = new Map();
  world.unassigned = { live: new Map(), purged: new Map() };
  const assigning = RECORD_TYPES.filter((t) => t.assignees?.length);
  // Activities are assigned (issue 13): the case is asked of them at least.
  expect(assigning.map((t) => t.name)).toContain('activity');
  for (const type of assigning) {
    const field = type.assignees![0];
    world.assigned.set(type.name, await ownedBy(admin, type.plural, { ...ownFields(type.name, 'assigned'), [field]: owen.sub, ...(type.name === 'activity' ? { companyId: secret('company'), contactId: secret('contact') } : {}) }, sam.sub));
    for (const state of ['live', 'purged'] as const) {
      const away = await samsOwn(type, { ...secretFields(type.name, `unassigned ${state}`), [field]: owen.sub });
      const taken = await admin.patch(`/api/${type.plural}/${away.id}`, { version: away.version, fields: { [field]: sam.sub } });
      expect(taken.status, taken.text).toBe(200);
      if (state === 'purged') await purge(cloud.dynamoEndpoint, TENANT, admin, type.name, away.id, taken.json.version);
      world.unassigned[state].set(type.name, { id: away.id, version: taken.json.version });
    }
  }

  // Likely duplicates across the scope: an e-mail Owen's contact shares with Sam's.
  const contactType = RECORD_TYPES.find((t) => t.name === 'contact')!;
  const twinOwn = await created(owen.client, 'contacts', { name: 'Owen twin', emails: ['twin@leak.example'] });
  const twinSecret = await samsOwn(contactType, { name: 'Qz7secret twin', emails: ['twin@leak.example'] });
  world.twin = { own: twinOwn.id, secret: twinSecret.id };
  world.dup = (await samsOwn(contactType, { name: 'Qz7secret dup', emails: ['dup@leak.example'] })).id;

  // A lead the administrator converted and handed to Owen; a lead Owen converted whose deal was handed to Sam.
  const handedLead = await created(admin, 'leads', { name: 'Lead handed to Owen', companyName: 'Handed Co' });
  const first = await admin.post(`/api/leads/${handedLead.id}/convert`, { version: 1, deal: { name: 'Qz7secret converted deal', amount: { amount: '750000', currency: 'EUR' } } });
  expect(first.status, first.text).toBe(201);
  for (const [plural, record] of [['companies', first.json.company], ['contacts', first.json.contact]] as const) {
    expect((await admin.patch(`/api/${plural}/${record.id}`, { version: 1, fields: { name: `Qz7secret converted ${plural}` } })).status).toBe(200);
  }
  [first.json.company.id, first.json.contact.id, first.json.deal.id].forEach((id: string) => secretIds.add(id));
  expect((await admin.patch(`/api/leads/${handedLead.id}/owner`, { version: 2, owner: owen.sub })).status).toBe(200);
  const ownLead = await created(owen.client, 'leads', { name: 'Owen lead', companyName: 'Owen Co' });
  const mine = await owen.client.post(`/api/leads/${ownLead.id}/convert`, { version: 1 });
  expect(mine.status, mine.text).toBe(201);
  expect((await admin.patch(`/api/deals/${mine.json.deal.id}/owner`, { version: 1, owner: sam.sub })).status).toBe(200);
  expect((await admin.patch(`/api/deals/${mine.json.deal.id}`, { version: 2, fields: { name: 'Qz7secret deal now Sam\'s' } })).status).toBe(200);
  secretIds.add(mine.json.deal.id);
  world.converted = { handed: handedLead, own: ownLead };
  world.unlinkedCompany = first.json.company.id;

  // Two of Owen's contacts to merge; a deal of Sam's points at the one merged away.
  const keep = await created(owen.client, 'contacts', { name: 'Owen keep', emails: ['merge@leak.example'] });
  const gone = await created(owen.client, 'contacts', { name: 'Owen gone', emails: ['merge@leak.example'] });
  await created(owen.client, 'activities', { name: 'Owen call about gone', kind: 'call', contactId: gone.id });
  const hiddenDeal = await samsOwn(RECORD_TYPES.find((t) => t.name === 'deal')!, { name: 'Qz7secret merged deal', contactIds: [gone.id] });
  world.merge = { keep: keep.id, gone: gone.id, hiddenDeal: hiddenDeal.id };

  // The administrator's import job (its errors and its error file quote the file), and an upload of theirs.
  // Its mapping is remembered for the administrator alone (GET /api/imports/mappings/{type}).
  const mapping = encodeURIComponent(JSON.stringify({ Name: 'name', Email: 'emails', 'Qz7secret column': null }));
  const job = await admin.request('POST', `/api/imports?type=contacts&mapping=${mapping}`, `Name,Email,Qz7secret column\r\nQz7secret row,not an e-mail ${MARKER},x\r\n`, { 'content-type': 'text/csv' });
  expect(job.status, job.text).toBe(201);
  world.adminJob = job.json.id;
  const csv = `Name,Email\r\nQz7secret uploaded,uploaded.${MARKER}@leak.example\r\n`;
  const upload = (await admin.post('/api/imports/uploads', { type: 'contacts', fileName: 'c.csv', size: Buffer.byteLength(csv) })).json;
  expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: csv })).status).toBe(200);
  expect((await admin.post(`/api/imports?type=contacts&upload=${upload.upload}`, {})).status).toBe(202);
  world.adminUpload = upload.upload;

  // Quick sales: the administrator's on Sam's company (Owen may not see it), Owen's on his own.
  world.fulfilment = (await admin.post('/api/teams', { name: 'Every-route fulfilment' })).json.id;
  await configureQuickSale(admin, quickSaleConfig(world.fulfilment));
  const startOn = async (client: ApiClient, company: string) => {
    const started = await client.post(`/api/companies/${company}/processes`, quickSale());
    expect(started.status, started.text).toBe(201);
    return started.json.id as string;
  };
  expect((await admin.patch(`/api/users/${sam.sub}`, { version: 1, fields: { teams: [world.fulfilment] } })).status).toBe(200);
  world.samsInstance = await startOn(admin, secret('company'));
  secretIds.add(world.samsInstance);
  world.owensInstance = await startOn(owen.client, world.own.live.get('company')!.id);
  world.samsTask = (await fulfilmentTask(sam.client, world.samsInstance)).id;

  world.adminView = new Map();
  world.ownView = new Map();
  for (const type of RECORD_TYPES) {
    const view = await admin.post(`/api/views/${type.name}`, { name: 'Admin private', columns: ['name'] });
    expect(view.status, view.text).toBe(201);
    world.adminView.set(type.name, view.json.id);
  }
}, 240_000);
afterAll(() => cloud?.stop());

/** One request of a probe; `secret`: the id of another's record it names, to be named again by an unknown id. */
interface Probe {
  method: string;
  path: string;
  body?: unknown;
  csv?: string;
  secret?: string;
  /** The first answer's status, where the probe must be answered (a record assigned to the caller is theirs). */
  status?: number;
}

type Prober = (type: RecordTypeSpec | undefined) => Promise<Probe[]> | Probe[];

const typed = (type: RecordTypeSpec | undefined): RecordTypeSpec => type ?? RECORD_TYPES[0];
const columnsOf = (type: RecordTypeSpec) => [...Object.keys(type.fields.shape), 'owner', 'updatedBy', ...(type.name === 'deal' ? [partnerKey] : [])];
const key = () => `probe-${Math.random().toString(36).slice(2, 12)}`;
const isKeyed = (body: unknown): body is { idempotencyKey: string } => typeof (body as { idempotencyKey?: unknown } | undefined)?.idempotencyKey === 'string';
const liveSecret = (type: RecordTypeSpec) => world.secret.live.get(type.name)!;

/** A throwaway record of Owen's (for probes that change or trash what they name). */
async function fresh(type: RecordTypeSpec, tag: string) {
  return created(owen.client, type.plural, ownFields(type.name, tag));
}

/** How each route is asked, by method and path (`{plural}` for the routes every type has). */
const PROBES: Record<string, Prober> = {
  'GET /api/me': () => [{ method: 'GET', path: '/api/me' }],
  'GET /api/users': () => [{ method: 'GET', path: '/api/users' }],
  'POST /api/users': () => [{ method: 'POST', path: '/api/users', body: { email: 'new@every-route.example', role: 'marketing' } }],
  'POST /api/users/{sub}/resend-invitation': () => [{ method: 'POST', path: `/api/users/${sam.sub}/resend-invitation`, body: {} }],
  'PATCH /api/users/{sub}': () => [{ method: 'PATCH', path: `/api/users/${sam.sub}`, body: { version: 1, fields: { active: false } } }],
  'POST /api/users/{sub}/reset-password': () => [{ method: 'POST', path: `/api/users/${sam.sub}/reset-password`, body: {} }],
  'GET /api/settings': () => [{ method: 'GET', path: '/api/settings' }],
  // Notifications are the caller's own: their partition, by their sub.
  'GET /api/notifications': () => [{ method: 'GET', path: '/api/notifications?limit=100' }],
  'POST /api/notifications/read': () => [{ method: 'POST', path: '/api/notifications/read', body: { all: true } }],
  'GET /api/notifications/preferences': () => [{ method: 'GET', path: '/api/notifications/preferences' }],
  'PUT /api/notifications/preferences': () => [{ method: 'PUT', path: '/api/notifications/preferences', body: { version: 0, email: { reminder: false } } }],
  'PATCH /api/settings': () => [{ method: 'PATCH', path: '/api/settings', body: { version: 0, fields: { defaultCountry: 'DE' } } }],
  'GET /api/calendars/countries': () => [{ method: 'GET', path: '/api/calendars/countries' }],
  'GET /api/calendars/public-holidays': () => [{ method: 'GET', path: '/api/calendars/public-holidays?country=DE&year=2026' }],
  'GET /api/calendars/{id}': () => [{ method: 'GET', path: '/api/calendars/tenant' }, { method: 'GET', path: '/api/calendars/01JZZZZZZZZZZZZZZZZZZZZZZZ' }],
  'PATCH /api/calendars/{id}': () => [{ method: 'PATCH', path: '/api/calendars/tenant', body: { version: 0, fields: { timeZone: 'Europe/Berlin' } } }],
  'DELETE /api/calendars/{id}': () => [{ method: 'DELETE', path: '/api/calendars/tenant?version=1' }],
  'POST /api/calendars/{id}/holidays': () => [{ method: 'POST', path: '/api/calendars/tenant/holidays?version=0', body: {} }],
  'GET /api/teams': () => [{ method: 'GET', path: '/api/teams' }],
  'POST /api/teams': () => [{ method: 'POST', path: '/api/teams', body: { name: 'Owen team', supervisor: null } }],
  'PATCH /api/teams/{id}': () => [{ method: 'PATCH', path: '/api/teams/01JZZZZZZZZZZZZZZZZZZZZZZZ', body: { version: 1, fields: { name: 'x' } } }],
  'DELETE /api/teams/{id}': () => [{ method: 'DELETE', path: '/api/teams/01JZZZZZZZZZZZZZZZZZZZZZZZ?version=1' }],
  'GET /api/roles': () => [{ method: 'GET', path: '/api/roles' }],
  'POST /api/roles': () => [{ method: 'POST', path: '/api/roles', body: OWN_EVERYTHING }],
  'PATCH /api/roles/{id}': () => [{ method: 'PATCH', path: '/api/roles/sales-manager', body: { version: 1, fields: {} } }],
  'DELETE /api/roles/{id}': () => [{ method: 'DELETE', path: '/api/roles/sales-manager?version=1' }],
  'GET /api/audit': () => [{ method: 'GET', path: '/api/audit' }],
  'GET /api/tenant': () => [{ method: 'GET', path: '/api/tenant' }],
  'PATCH /api/tenant': () => [{ method: 'PATCH', path: '/api/tenant', body: { version: 0, name: 'Owen company' } }],
  'GET /api/changes': () => [{ method: 'GET', path: '/api/changes' }, { method: 'GET', path: `/api/changes?after=${encodeURIComponent(cursor0)}&limit=1000` }],
  'POST /api/bulk': async () => {
    const own = await fresh(RECORD_TYPES[0], 'bulk');
    return [
      ...RECORD_TYPES.map((type) => ({ method: 'POST', path: '/api/bulk', body: { idempotencyKey: key(), changes: [{ type: type.name, id: liveSecret(type).id, version: liveSecret(type).version, field: 'name', value: 'Taken' }] }, secret: liveSecret(type).id })),
      // A stale cell of Owen's own record: a conflict carrying the record as it is.
      { method: 'POST', path: '/api/bulk', body: { idempotencyKey: key(), changes: [{ type: RECORD_TYPES[0].name, id: own.id, version: 1, field: 'name', value: 'Renamed' }, { type: RECORD_TYPES[0].name, id: own.id, version: 1, field: 'name', value: 'Stale' }] } },
      { method: 'POST', path: '/api/bulk', body: { idempotencyKey: key(), changes: [{ type: 'contact', id: world.twin.own, version: 1, field: 'companyIds', value: [world.unlinkedCompany] }] }, secret: world.unlinkedCompany },
    ];
  },
  'POST /api/trash': async () => {
    const own = await fresh(RECORD_TYPES[1], 'trash');
    return [
      ...RECORD_TYPES.map((type) => ({ method: 'POST', path: '/api/trash', body: { idempotencyKey: key(), items: [{ type: type.name, id: liveSecret(type).id, version: liveSecret(type).version }] }, secret: liveSecret(type).id })),
      { method: 'POST', path: '/api/trash', body: { idempotencyKey: key(), items: [{ type: RECORD_TYPES[1].name, id: own.id, version: 1 }] } },
    ];
  },
  'POST /api/trash/restore': async () => {
    const own = await fresh(RECORD_TYPES[2], 'restore');
    expect((await owen.client.delete(`/api/${RECORD_TYPES[2].plural}/${own.id}?version=1`)).status).toBe(204);
    return [
      ...RECORD_TYPES.map((type) => {
        const trashed = world.secret.trashed.get(type.name)!;
        return { method: 'POST', path: '/api/trash/restore', body: { idempotencyKey: key(), items: [{ type: type.name, id: trashed.id, version: trashed.version }] }, secret: trashed.id };
      }),
      { method: 'POST', path: '/api/trash/restore', body: { idempotencyKey: key(), items: [{ type: RECORD_TYPES[2].name, id: own.id, version: 2 }] } },
    ];
  },
  'GET /api/search': () => [MARKER, 'twin', 'dup@leak', 'owen', 'lead'].map((q) => ({ method: 'GET', path: `/api/search?q=${encodeURIComponent(q)}&limit=50` })),
  'GET /api/fields/{type}': (type) => [{ method: 'GET', path: `/api/fields/${typed(type).name}` }, { method: 'GET', path: `/api/fields/${typed(type).name}?deleted=true` }],
  'POST /api/fields/{type}': (type) => [{ method: 'POST', path: `/api/fields/${typed(type).name}`, body: { label: 'Owen field', type: 'text' } }],
  'PATCH /api/fields/{type}/{key}': () => [{ method: 'PATCH', path: `/api/fields/deal/${partnerKey}`, body: { version: 1, label: 'Renamed' } }],
  'DELETE /api/fields/{type}/{key}': () => [{ method: 'DELETE', path: `/api/fields/deal/${partnerKey}?version=1` }],
  'POST /api/fields/{type}/{key}/restore': () => [{ method: 'POST', path: `/api/fields/deal/${partnerKey}/restore`, body: {} }],
  'GET /api/views/{type}': (type) => [{ method: 'GET', path: `/api/views/${typed(type).name}` }],
  'POST /api/views/{type}': async (type) => {
    const t = typed(type);
    const view = await owen.client.post(`/api/views/${t.name}`, { name: 'Owen view', columns: columnsOf(t) });
    expect(view.status, view.text).toBe(201);
    world.ownView.set(t.name, view.json.id);
    return [{ method: 'POST', path: `/api/views/${t.name}`, body: { name: 'Owen view too', columns: columnsOf(t), sort: [{ field: 'name' }], groupBy: 'owner' } }];
  },
  'POST /api/views/{type}/rows': (type) => {
    const t = typed(type);
    return [
      { method: 'POST', path: `/api/views/${t.name}/rows`, body: { columns: columnsOf(t), groupBy: 'owner' } },
      { method: 'POST', path: `/api/views/${t.name}/rows`, body: { columns: columnsOf(t), ids: [liveSecret(t).id, world.own.live.get(t.name)!.id] }, secret: liveSecret(t).id },
    ];
  },
  'PATCH /api/views/{type}/{id}': (type) => {
    const t = typed(type);
    return [
      { method: 'PATCH', path: `/api/views/${t.name}/${world.ownView.get(t.name)}`, body: { version: 1, fields: { name: 'Owen view, renamed' } } },
      { method: 'PATCH', path: `/api/views/${t.name}/${world.adminView.get(t.name)}`, body: { version: 1, fields: { name: 'Taken' } }, secret: world.adminView.get(t.name) },
    ];
  },
  'DELETE /api/views/{type}/{id}': (type) => [{ method: 'DELETE', path: `/api/views/${typed(type).name}/${world.adminView.get(typed(type).name)}?version=1`, secret: world.adminView.get(typed(type).name) }],
  'GET /api/views/{type}/{id}/rows': (type) => {
    const t = typed(type);
    const own = world.ownView.get(t.name);
    return [
      { method: 'GET', path: `/api/views/${t.name}/${own}/rows` },
      { method: 'GET', path: `/api/views/${t.name}/${own}/rows?ids=${liveSecret(t).id}`, secret: liveSecret(t).id },
      { method: 'GET', path: `/api/views/${t.name}/${world.adminView.get(t.name)}/rows`, secret: world.adminView.get(t.name) },
    ];
  },
  'POST /api/{plural}/{id}/convert': () => [
    { method: 'POST', path: `/api/leads/${world.converted.handed.id}/convert`, body: { version: 3 } },
    { method: 'POST', path: `/api/leads/${world.converted.own.id}/convert`, body: { version: 2 } },
    { method: 'POST', path: `/api/leads/${liveSecret(RECORD_TYPES.find((t) => t.name === 'lead')!).id}/convert`, body: { version: 2 }, secret: liveSecret(RECORD_TYPES.find((t) => t.name === 'lead')!).id },
  ],
  'POST /api/imports/uploads': () => [{ method: 'POST', path: '/api/imports/uploads', body: { type: 'contacts', fileName: 'mine.csv', size: 100 } }],
  'POST /api/imports': () => {
    const company = liveSecret(RECORD_TYPES.find((t) => t.name === 'company')!).id;
    return [
      { method: 'POST', path: '/api/imports?type=contacts', csv: 'Name,Email\r\nOwen dup row,dup@leak.example\r\nOwen twin row,twin@leak.example\r\nOwen new row,owen.new@leak.example\r\n' },
      { method: 'POST', path: '/api/imports?type=contacts&dryRun=true', csv: `Name,Company Ids\r\nOwen linked row,${company}\r\n`, secret: company },
      { method: 'POST', path: `/api/imports?type=contacts&upload=${world.adminUpload}`, body: {}, secret: world.adminUpload },
      // A stage history naming Sam's deal by id: refused as a deal that does not exist.
      { method: 'POST', path: '/api/imports?type=stage-moves', csv: `deal,to,at\r\n${liveSecret(RECORD_TYPES.find((t) => t.name === 'deal')!).id},qualified,2026-01-05\r\n`, secret: liveSecret(RECORD_TYPES.find((t) => t.name === 'deal')!).id, status: 200 },
    ];
  },
  // A deal's moves: Owen's own deal's, and Sam's (as a deal that does not exist).
  'GET /api/{plural}/{id}/stage-moves': () => [
    { method: 'GET', path: `/api/deals/${world.own.live.get('deal')!.id}/stage-moves`, status: 200 },
    { method: 'GET', path: `/api/deals/${liveSecret(RECORD_TYPES.find((t) => t.name === 'deal')!).id}/stage-moves`, secret: liveSecret(RECORD_TYPES.find((t) => t.name === 'deal')!).id },
  ],
  // Pipelines are the tenant's configuration, no records: anyone reads them, administrators change them (Owen is refused).
  'GET /api/pipelines': () => [{ method: 'GET', path: '/api/pipelines', status: 200 }],
  // The reports count Owen's deals only; a drill names the deals behind a number (his: Sam's never are).
  'GET /api/analytics/{report}': () => [...ANALYTICS_REPORTS.map((report) => ({ method: 'GET', path: `/api/analytics/${report}?pipeline=default`, status: 200 })), { method: 'GET', path: '/api/analytics/won-lost?pipeline=default&by=owner', status: 200 }],
  'GET /api/analytics/{report}/drill': () => [{ method: 'GET', path: '/api/analytics/funnel/drill?pipeline=default&cell=entered%3Anew', status: 200 }, { method: 'GET', path: '/api/analytics/forecast/drill?pipeline=default&cell=forecast' }],
  'POST /api/pipelines': () => [{ method: 'POST', path: '/api/pipelines', body: { key: 'owen', label: 'Owen', stages: [], lossReasons: [] }, status: 403 }],
  'PUT /api/pipelines/{key}': () => [{ method: 'PUT', path: '/api/pipelines/default', body: { version: 0, pipeline: {} }, status: 403 }],
  'DELETE /api/pipelines/{key}': () => [{ method: 'DELETE', path: '/api/pipelines/default?version=0', status: 403 }],
  'POST /api/pipelines/{key}/stages/{stage}/merge': () => [{ method: 'POST', path: '/api/pipelines/default/stages/lost/merge', body: { into: 'new', version: 0 }, status: 403 }],
  'GET /api/imports/{id}/errors.csv': async () => {
    // Owen's own error file: a cell left empty, and a row that duplicates Sam's contact (no row of the file: nothing of Sam's).
    const mine = await owen.client.request('POST', '/api/imports?type=contacts', 'Name,Email\r\nOwen bad cell,not an e-mail\r\nOwen third dup,dup@leak.example\r\n', { 'content-type': 'text/csv' });
    expect(mine.status, mine.text).toBe(201);
    return [{ method: 'GET', path: `/api/imports/${mine.json.id}/errors.csv` }, { method: 'GET', path: `/api/imports/${world.adminJob}/errors.csv`, secret: world.adminJob }];
  },
  'GET /api/imports/mappings/{type}': (type) => [{ method: 'GET', path: `/api/imports/mappings/${typed(type).name}` }],
  'GET /api/imports/{id}': async () => {
    const mine = await owen.client.request('POST', '/api/imports?type=contacts', 'Name,Email\r\nOwen second dup,dup@leak.example\r\n', { 'content-type': 'text/csv' });
    expect(mine.status, mine.text).toBe(201);
    return [{ method: 'GET', path: `/api/imports/${mine.json.id}` }, { method: 'GET', path: `/api/imports/${world.adminJob}`, secret: world.adminJob }];
  },
  'GET /api/{plural}/export.csv': (type) => [{ method: 'GET', path: `/api/${typed(type).plural}/export.csv` }],
  'POST /api/{plural}/{id}/processes': (type) => {
    const t = typed(type);
    // A deal of Owen's has no company: its sale names his company as the client.
    const order = t.name === 'deal' ? { client: { type: 'company', id: world.own.live.get('company')!.id } } : {};
    return [
      { method: 'POST', path: `/api/${t.plural}/${world.own.live.get(t.name)!.id}/processes`, body: quickSale(order), status: 201 },
      { method: 'POST', path: `/api/${t.plural}/${liveSecret(t).id}/processes`, body: quickSale(order), secret: liveSecret(t).id },
    ];
  },
  'GET /api/processes/quick-sale/config': () => [{ method: 'GET', path: '/api/processes/quick-sale/config' }],
  'PUT /api/processes/quick-sale/config': () => [{ method: 'PUT', path: '/api/processes/quick-sale/config', body: { version: 1, config: quickSaleConfig(world.fulfilment) } }],
  'GET /api/processes/instances': () => {
    const company = liveSecret(RECORD_TYPES.find((t) => t.name === 'company')!).id;
    return [
      { method: 'GET', path: '/api/processes/instances?limit=100' },
      { method: 'GET', path: `/api/processes/instances?subject=company:${company}`, secret: company },
    ];
  },
  // A task is no record: it shows to its assignee and team, and anyone else of the tenant is refused (403), not told it is not there.
  'GET /api/tasks': () => [{ method: 'GET', path: '/api/tasks?view=mine' }, { method: 'GET', path: '/api/tasks?view=team' }],
  'GET /api/tasks/{id}': () => [{ method: 'GET', path: `/api/tasks/${world.samsTask}`, status: 403 }],
  'POST /api/tasks/{id}/claim': () => [{ method: 'POST', path: `/api/tasks/${world.samsTask}/claim`, body: {}, status: 403 }],
  'POST /api/tasks/{id}/release': () => [{ method: 'POST', path: `/api/tasks/${world.samsTask}/release`, body: {}, status: 403 }],
  'POST /api/tasks/{id}/complete': () => [{ method: 'POST', path: `/api/tasks/${world.samsTask}/complete`, body: { form: { shippedOn: '2026-12-07' } }, status: 403 }],
  'POST /api/tasks/{id}/reject': () => [{ method: 'POST', path: `/api/tasks/${world.samsTask}/reject`, body: { reason: 'No' }, status: 403 }],
  // Acting on an instance needs to see it first: another's is as none; Owen's own running one is answered as it is.
  'POST /api/processes/instances/{id}/cancel': () => [{ method: 'POST', path: `/api/processes/instances/${world.samsInstance}/cancel`, body: { reason: 'No' }, secret: world.samsInstance }],
  'POST /api/processes/instances/{id}/retry': () => [
    { method: 'POST', path: `/api/processes/instances/${world.owensInstance}/retry`, body: {}, status: 200 },
    { method: 'POST', path: `/api/processes/instances/${world.samsInstance}/retry`, body: {}, secret: world.samsInstance },
  ],
  // Owen supervises no team: refused, per task, with nothing of it.
  'POST /api/tasks/reassign': () => [{ method: 'POST', path: '/api/tasks/reassign', body: { tasks: [world.samsTask], to: { team: world.fulfilment } }, status: 200 }],
  'GET /api/processes': () => [{ method: 'GET', path: '/api/processes' }],
  'GET /api/processes/instances/{id}/timeline': () => [
    { method: 'GET', path: `/api/processes/instances/${world.owensInstance}/timeline`, status: 200 },
    { method: 'GET', path: `/api/processes/instances/${world.samsInstance}/timeline`, secret: world.samsInstance },
  ],
  'GET /api/processes/instances/{id}': () => [
    { method: 'GET', path: `/api/processes/instances/${world.owensInstance}`, status: 200 },
    { method: 'GET', path: `/api/processes/instances/${world.samsInstance}`, secret: world.samsInstance },
  ],
  'GET /api/views/{type}/{id}/export.csv': (type) => {
    const t = typed(type);
    return [
      { method: 'GET', path: `/api/views/${t.name}/${world.ownView.get(t.name)}/export.csv` },
      { method: 'GET', path: `/api/views/${t.name}/${world.adminView.get(t.name)}/export.csv`, secret: world.adminView.get(t.name) },
    ];
  },
  'POST /api/views/{type}/export.csv': (type) => ['', MARKER, 'Hidden record'].map((search) => ({ method: 'POST', path: `/api/views/${typed(type).name}/export.csv`, body: { columns: columnsOf(typed(type)), search } })),
  'GET /api/{plural}/duplicates': (type) => [{ method: 'GET', path: `/api/${typed(type).plural}/duplicates` }],
  'GET /api/{plural}/{id}/duplicates': (type) => {
    const t = typed(type);
    return [
      { method: 'GET', path: `/api/${t.plural}/${t.name === 'contact' ? world.twin.own : world.own.live.get(t.name)!.id}/duplicates` },
      { method: 'GET', path: `/api/${t.plural}/${liveSecret(t).id}/duplicates`, secret: liveSecret(t).id },
    ];
  },
  'POST /api/{plural}/{id}/merge': async (type) => {
    const t = typed(type);
    const own = await fresh(t, 'merge');
    const probes: Probe[] = [
      { method: 'POST', path: `/api/${t.plural}/${own.id}/merge`, body: { otherId: liveSecret(t).id, version: 1, otherVersion: liveSecret(t).version }, secret: liveSecret(t).id },
      { method: 'POST', path: `/api/${t.plural}/${liveSecret(t).id}/merge`, body: { otherId: own.id, version: liveSecret(t).version, otherVersion: 1 }, secret: liveSecret(t).id },
    ];
    if (t.name === 'contact') probes.unshift({ method: 'POST', path: `/api/contacts/${world.merge.keep}/merge`, body: { otherId: world.merge.gone, version: 1, otherVersion: 1 } });
    return probes;
  },
  'GET /api/{plural}/names': (type) => [{ method: 'GET', path: `/api/${typed(type).plural}/names?ids=${liveSecret(typed(type)).id},${world.own.live.get(typed(type).name)!.id}`, secret: liveSecret(typed(type)).id }],
  'POST /api/{plural}/names': (type) => [{ method: 'POST', path: `/api/${typed(type).plural}/names`, body: { ids: [liveSecret(typed(type)).id, world.own.live.get(typed(type).name)!.id] }, secret: liveSecret(typed(type)).id }],
  'POST /api/{plural}/ids-by-name': (type) => [{ method: 'POST', path: `/api/${typed(type).plural}/ids-by-name`, body: { names: [secretFields(typed(type).name, 'live').name, `Owen ${typed(type).name} live`, 'Qz7secret twin'] } }],
  'GET /api/{plural}': (type) => [{ method: 'GET', path: `/api/${typed(type).plural}?limit=1000` }, { method: 'GET', path: `/api/${typed(type).plural}?limit=1` }],
  'POST /api/{plural}': (type) => {
    const t = typed(type);
    const probes: Probe[] = [{ method: 'POST', path: `/api/${t.plural}`, body: ownFields(t.name, 'made') }];
    for (const relation of t.relations) {
      const target = RECORD_TYPES.find((spec) => spec.key === relation.target)!;
      const id = liveSecret(target).id;
      const value = relation.path === 'lines.productId' ? { lines: [{ productId: id, name: 'L', quantity: 1, unitPrice: { amount: '1', currency: 'EUR' } }] } : { [relation.path]: relation.path.endsWith('Ids') ? [id] : id };
      probes.push({ method: 'POST', path: `/api/${t.plural}`, body: { ...ownFields(t.name, 'related'), ...value }, secret: id });
    }
    return probes;
  },
  'GET /api/{plural}/trash': (type) => [{ method: 'GET', path: `/api/${typed(type).plural}/trash?limit=1000` }],
  'GET /api/{plural}/{id}': (type) => {
    const t = typed(type);
    return [
      { method: 'GET', path: `/api/${t.plural}/${world.own.live.get(t.name)!.id}` },
      ...(world.linked.has(t.name) ? [{ method: 'GET', path: `/api/${t.plural}/${world.linked.get(t.name)!.id}` }] : []),
      ...(world.assigned.has(t.name) ? [{ method: 'GET', path: `/api/${t.plural}/${world.assigned.get(t.name)!.id}`, status: 200 }] : []),
      ...(world.unassigned.live.has(t.name) ? [{ method: 'GET', path: `/api/${t.plural}/${world.unassigned.live.get(t.name)!.id}`, secret: world.unassigned.live.get(t.name)!.id }] : []),
      { method: 'GET', path: `/api/${t.plural}/${liveSecret(t).id}`, secret: liveSecret(t).id },
      { method: 'GET', path: `/api/${t.plural}/${world.secret.trashed.get(t.name)!.id}`, secret: world.secret.trashed.get(t.name)!.id },
    ];
  },
  'PATCH /api/{plural}/{id}': async (type) => {
    const t = typed(type);
    const own = await fresh(t, 'patch');
    const probes: Probe[] = [
      { method: 'PATCH', path: `/api/${t.plural}/${liveSecret(t).id}`, body: { version: liveSecret(t).version, fields: { name: 'Taken' } }, secret: liveSecret(t).id },
      // Stale: the conflict carries Owen's own record.
      { method: 'PATCH', path: `/api/${t.plural}/${own.id}`, body: { version: 1, fields: { name: `Owen ${t.name} patched` } } },
    ];
    const linked = world.linked.get(t.name);
    if (linked) {
      // A record linked to Sam's keeps those links through a change of another field.
      const now = (await owen.client.get(`/api/${t.plural}/${linked.id}`)).json;
      probes.push({ method: 'PATCH', path: `/api/${t.plural}/${linked.id}`, body: { version: now.version, fields: { name: `Owen linked ${t.name}, renamed` } } });
    }
    const assigned = world.assigned.get(t.name);
    if (assigned) {
      // Sam's record assigned to Owen: he changes it (marks it done), its links to Sam's records kept.
      const now = (await owen.client.get(`/api/${t.plural}/${assigned.id}`)).json;
      probes.push({ method: 'PATCH', path: `/api/${t.plural}/${assigned.id}`, body: { version: now.version, fields: t.name === 'activity' ? { done: true } : { name: `Owen assigned ${t.name}, renamed` } }, status: 200 });
      const away = world.unassigned.live.get(t.name)!;
      probes.push({ method: 'PATCH', path: `/api/${t.plural}/${away.id}`, body: { version: away.version, fields: { name: 'Taken back' } }, secret: away.id });
    }
    return probes;
  },
  'DELETE /api/{plural}/{id}': (type) => [{ method: 'DELETE', path: `/api/${typed(type).plural}/${liveSecret(typed(type)).id}?version=${liveSecret(typed(type)).version}`, secret: liveSecret(typed(type)).id }],
  'POST /api/{plural}/{id}/restore': async (type) => {
    const t = typed(type);
    const own = await fresh(t, 'restored');
    expect((await owen.client.delete(`/api/${t.plural}/${own.id}?version=1`)).status).toBe(204);
    const trashed = world.secret.trashed.get(t.name)!;
    return [
      { method: 'POST', path: `/api/${t.plural}/${own.id}/restore?version=2`, body: {} },
      { method: 'POST', path: `/api/${t.plural}/${trashed.id}/restore?version=${trashed.version}`, body: {}, secret: trashed.id },
    ];
  },
  'PATCH /api/{plural}/{id}/owner': (type) => [{ method: 'PATCH', path: `/api/${typed(type).plural}/${liveSecret(typed(type)).id}/owner`, body: { version: liveSecret(typed(type)).version, owner: owen.sub }, secret: liveSecret(typed(type)).id }],
  'GET /api/{plural}/{id}/history': (type) => {
    const t = typed(type);
    return [
      { method: 'GET', path: `/api/${t.plural}/${world.own.purged.get(t.name)!.id}/history` },
      ...(world.linked.has(t.name) ? [{ method: 'GET', path: `/api/${t.plural}/${world.linked.get(t.name)!.id}/history` }] : []),
      ...(world.assigned.has(t.name) ? [{ method: 'GET', path: `/api/${t.plural}/${world.assigned.get(t.name)!.id}/history`, status: 200 }] : []),
      ...(['live', 'purged'] as const).flatMap((state) => {
        const away = world.unassigned[state].get(t.name);
        return away ? [{ method: 'GET', path: `/api/${t.plural}/${away.id}/history`, secret: away.id }] : [];
      }),
      ...(['live', 'trashed', 'purged'] as const).map((state) => {
        const id = world.secret[state].get(t.name)!.id;
        return { method: 'GET', path: `/api/${t.plural}/${id}/history`, secret: id };
      }),
    ];
  },
};

/** The route's path with its record type's plural as `{plural}`, and the type. */
function placed(route: Route): { key: string; type?: RecordTypeSpec } {
  const type = RECORD_TYPES.find((t) => route.path === `/api/${t.plural}` || route.path.startsWith(`/api/${t.plural}/`));
  if (type) return { key: `${route.method} ${route.path.replace(`/api/${type.plural}`, '/api/{plural}')}`, type };
  return { key: `${route.method} ${route.path}` };
}

/** The fields whose values are ids of records: a reference there is the caller's own data. */
const REFERENCE_FIELDS = new Set([...RECORD_TYPES.flatMap((type) => type.relations.map((relation) => relation.path.split('.').at(-1)!)), 'convertedTo']);

interface Finding {
  kind: 'contents' | 'records' | 'existence' | 'answer';
  where: string;
  what: string;
}

const counts = { routes: 0, requests: 0, values: 0, references: 0, twins: 0 };

/** Reads an answer whole; what may not be there is a finding. `asked`: the request's own text, which an answer may repeat. */
function scan(where: string, response: ApiResponse, asked: string, findings: Finding[]): void {
  const me = owen.sub;
  if (response.json === undefined) {
    // CSV: neither another's text nor another's id (relation columns show names, or Hidden record),
    // but the ids a deal's lines hold, which are written as the lines are (JSON).
    const text = response.text.replace(/""productId"":""[0-9A-Z]{26}""/g, '');
    if (text.toLowerCase().includes(MARKER)) findings.push({ kind: 'contents', where, what: 'the marker in a CSV answer' });
    for (const id of secretIds) if (text.includes(id)) findings.push({ kind: 'records', where, what: `${id} in a CSV answer` });
    return;
  }
  const walk = (value: unknown, path: Array<string | number>, ancestors: unknown[]): void => {
    counts.values++;
    if (typeof value === 'string') {
      if (value.toLowerCase().includes(MARKER) && !asked.includes(value)) findings.push({ kind: 'contents', where, what: `${path.join('.')}: ${value.slice(0, 80)}` });
      if (secretIds.has(value)) {
        if (allowedReference(path, ancestors, me)) counts.references++;
        else findings.push({ kind: 'records', where, what: `${path.join('.')} = ${value}` });
      } else {
        for (const id of secretIds) if (value.includes(id) && !asked.includes(id)) findings.push({ kind: 'records', where, what: `${path.join('.')} names ${id}` });
      }
      return;
    }
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, [...path, i], [...ancestors, value]));
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k], [...ancestors, value]);
  };
  walk(response.json, [], []);
}

/** Where another's id may stand: as a reference the caller's own data holds, marked hidden, or echoed. */
function allowedReference(path: Array<string | number>, ancestors: unknown[], me: string): boolean {
  const parent = ancestors.at(-1) as Record<string, unknown> | undefined;
  if (parent && !Array.isArray(parent) && parent.hidden === true && Object.keys(parent).sort().join() === 'hidden,id') return true;
  const keys = path.filter((step): step is string => typeof step === 'string');
  if (keys.some((k) => REFERENCE_FIELDS.has(k) || k === partnerKey)) return true;
  // A change in a history of one of those fields.
  const change = ancestors.find((a) => a && typeof a === 'object' && !Array.isArray(a) && 'field' in a && ('old' in a || 'new' in a)) as { field?: string } | undefined;
  if (change && (REFERENCE_FIELDS.has(change.field!) || change.field === partnerKey)) return true;
  // A cell of a view row (not its id): a relation column's value.
  const rows = path.lastIndexOf('rows');
  if (rows >= 0 && typeof path[rows + 2] === 'number' && (path[rows + 2] as number) >= 2) return true;
  // A refused value, shown back to the caller who sent it.
  if (keys.includes('issues') && keys.at(-1) === 'value') return true;
  // The ids asked that a view's rows do not hold.
  if (keys.at(-1) === 'removed') return true;
  // The change feed: a change made while the record was the caller's or assigned to them (it has
  // been handed on since), and the change that took it out of their scope, so their grid drops it.
  const entry = ancestors.at(-1) as { change?: string; owner?: string; previousOwner?: string; assignees?: string[]; previousAssignees?: string[] } | undefined;
  const concerned = entry && [entry.owner, entry.previousOwner, ...(entry.assignees ?? []), ...(entry.previousAssignees ?? [])].includes(me);
  if (keys[0] === 'items' && entry?.change !== undefined && concerned) return true;
  return false;
}

/** An answer as a caller can compare two: ids, times and the request id left out. */
function comparable(response: ApiResponse, ids: string[]): unknown {
  let text = response.text;
  for (const id of ids) text = text.split(id).join('<named>');
  text = text.replace(ULID_TEXT, '<ulid>').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
    delete (body as { error?: { requestId?: string } }).error?.requestId;
  } catch {
    // CSV
  }
  return { status: response.status, body };
}

async function send(probe: Probe): Promise<ApiResponse> {
  counts.requests++;
  if (probe.csv !== undefined) return owen.client.request(probe.method, probe.path, probe.csv, { 'content-type': 'text/csv' });
  return owen.client.request(probe.method, probe.path, probe.body);
}

describe('every route, asked by a user of own scope', () => {
  it('has a probe, and every probe a route', () => {
    const known = new Set(ROUTES.map((route) => placed(route).key));
    expect([...known].filter((k) => !PROBES[k]).map((k) => `${k}: no probe; say in PROBES how to ask it`)).toEqual([]);
    expect(Object.keys(PROBES).filter((k) => !known.has(k)).map((k) => `${k}: no such route`)).toEqual([]);
  });

  it('answers nothing of others\' records: no contents, no records, no way to tell them from ids that do not exist', async () => {
    const findings: Finding[] = [];
    const asked = new Set<string>();
    for (const route of ROUTES) {
      const { key: probeKey, type } = placed(route);
      const prober = PROBES[probeKey];
      if (!prober) continue;
      counts.routes++;
      asked.add(`${route.method} ${route.path}`);
      // A route of `/api/views/{type}` or `/api/fields/{type}` is asked of every type.
      const probes: Probe[] = [];
      for (const t of route.path.includes('{type}') ? RECORD_TYPES : [type]) probes.push(...(await prober(t)));
      for (const probe of probes) {
        const where = `${probe.method} ${probe.path}`;
        const askedText = JSON.stringify(probe.body ?? '') + probe.path + (probe.csv ?? '');
        // Sent twice: a repeat (and, with its idempotency key, a retry) answers nothing more.
        for (const attempt of [1, 2]) {
          const response = await send(probe);
          if (attempt === 1 && probe.status !== undefined && response.status !== probe.status) findings.push({ kind: 'answer', where, what: `${response.status}, expected ${probe.status}: ${response.text.slice(0, 200)}` });
          scan(`${where} (${attempt})`, response, askedText, findings);
        }
        if (!probe.secret) continue;
        const unknown = `01JZZZ${Math.random().toString(36).slice(2, 12).toUpperCase().replace(/[ILOU]/g, 'Z').padEnd(20, 'Z')}`.slice(0, 26);
        const twin = JSON.parse(JSON.stringify(probe).split(probe.secret).join(unknown)) as Probe;
        // Another request, so another idempotency key (the same key with another body is refused).
        if (isKeyed(twin.body)) twin.body.idempotencyKey = key();
        // Answered before the twin is sent: a request that changed something answers its repeat alike.
        const [theirs, none] = [await send(probe), await send(twin)];
        counts.twins++;
        const [a, b] = [comparable(theirs, [probe.secret]), comparable(none, [unknown])];
        if (JSON.stringify(a) !== JSON.stringify(b)) findings.push({ kind: 'existence', where, what: `${JSON.stringify(a).slice(0, 300)} <> ${JSON.stringify(b).slice(0, 300)}` });
      }
    }
    const byKind = (kind: Finding['kind']) => findings.filter((f) => f.kind === kind).length;
    console.log(JSON.stringify({ ...counts, findings: { contents: byKind('contents'), records: byKind('records'), existence: byKind('existence'), answer: byKind('answer') } }));
    expect(findings.map((f) => `${f.kind}: ${f.where}: ${f.what}`)).toEqual([]);
    expect(asked.size).toBe(ROUTES.length);
  }, 600_000);
});

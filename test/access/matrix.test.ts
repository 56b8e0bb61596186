/**
 * Every role against every route of the API (ROUTES) and every record type, across two
 * tenants: allowed, forbidden (403) or invisible (404). What each route needs is worked out here
 * from its method and path alone, independently of the route's own declaration (Route.access),
 * and what each role may is read from the role definitions; so a route declared wrongly, a
 * route this test cannot place (a new one: place it in `needsOf`), or a check the server does
 * not make, fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { ROUTES } from '../../functions/api/routes.ts';
import type { Route } from '../../functions/api/router.ts';
import type { Need, RouteAccess } from '../../functions/api/route-access.ts';
import { RECORD_TYPES, type RecordTypeSpec } from '../../functions/records/record-types.ts';
import { BUILT_IN_ROLES } from '../../functions/roles/built-in-roles.ts';
import type { Action, Role } from '../../functions/contracts/roles.ts';
import { USER_GROUPS, type UserGroup } from '../../infra/app-resources.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { ownedBy, person } from '../support/people.ts';
import { purge } from '../support/record-purge.ts';
import { configureQuickSale, instanceAt, order, quickSaleConfig } from '../support/quick-sales.ts';

type TypeName = string | 'path' | 'query' | 'any';
/** What a route needs, as this test reads it off the route's method and path. */
type Expected = { kind: 'signed-in' } | { kind: 'administer' } | { kind: 'records'; needs: Array<{ action: Action; type: TypeName }>; record: boolean; purged?: true };

const PLURALS = new Map(RECORD_TYPES.map((type) => [type.plural, type.name]));

function needsOf(route: Route): Expected | undefined {
  const { method, path } = route;
  const signedIn = { kind: 'signed-in' } as const;
  const administer = { kind: 'administer' } as const;
  const records = (record: boolean, ...needs: Array<[Action, TypeName]>): Expected => ({ kind: 'records', needs: needs.map(([action, type]) => ({ action, type })), record });
  if (['/api/me', '/api/changes', '/api/search', '/api/bulk', '/api/trash', '/api/trash/restore'].includes(path)) return signedIn;
  if ((path === '/api/users' || path === '/api/teams' || path === '/api/settings') && method === 'GET') return signedIn;
  // A process's configuration: anyone reads it (a start form shows its steps), administrators change it.
  if (path === '/api/processes/quick-sale/config') return method === 'GET' ? signedIn : administer;
  // Instances and tasks keep to the caller themselves: an instance to the records they see, a task to its assignee and team.
  if (/^\/api\/(processes|tasks)(\/|$)/.test(path)) return signedIn;
  // Notifications and their preferences are the caller's own.
  if (path.startsWith('/api/notifications')) return signedIn;
  if (path === '/api/settings') return administer;
  // Deal pipelines: anyone reads them (the board, the grid and the reports need them), administrators change them.
  if (path.startsWith('/api/pipelines')) return method === 'GET' ? signedIn : administer;
  // The funnel's reports read deals, in the caller's scope.
  if (path.startsWith('/api/analytics/')) return records(false, ['read', 'deal']);
  // Business calendars: anyone reads them (due times are counted on them), administrators change them.
  if (path.startsWith('/api/calendars/')) return method === 'GET' ? signedIn : administer;
  if (/^\/api\/(users|teams|roles|audit)(\/|$)/.test(path)) return administer;
  if (path.startsWith('/api/fields/{type}')) return method === 'GET' ? records(false, ['read', 'path']) : administer;
  // The tenant's name: anyone reads it, administrators change it.
  if (path === '/api/tenant') return method === 'GET' ? signedIn : administer;
  if (path.startsWith('/api/views/{type}') && path.endsWith('/export.csv')) return records(false, ['export', 'path']);
  if (path.startsWith('/api/views/{type}')) return records(false, ['read', 'path']);
  if (path === '/api/imports' && method === 'POST') return records(false, ['import', 'query']);
  if (path === '/api/imports/uploads' || path === '/api/imports/{id}' || path === '/api/imports/{id}/errors.csv') return records(false, ['import', 'any']);
  if (path === '/api/imports/mappings/{type}') return records(false, ['import', 'path']);
  // A deal's stage moves: to whoever may read the deal.
  if (path === '/api/deals/{id}/stage-moves') return records(true, ['read', 'deal']);
  if (path === '/api/leads/{id}/convert') return records(true, ['update', 'lead'], ['create', 'company'], ['create', 'contact'], ['create', 'deal']);
  const match = /^\/api\/([a-z]+)(\/.*)?$/.exec(path);
  const type = match && PLURALS.get(match[1]);
  if (!type) return undefined;
  const rest = `${method} ${match![2] ?? ''}`;
  const byRest: Record<string, Expected> = {
    'GET ': records(false, ['read', type]),
    'POST ': records(false, ['create', type]),
    'GET /trash': records(false, ['delete', type]),
    'GET /export.csv': records(false, ['export', type]),
    'GET /duplicates': records(false, ['read', type]),
    'GET /names': signedIn,
    'POST /names': signedIn,
    'POST /ids-by-name': signedIn,
    'GET /{id}': records(true, ['read', type]),
    'PATCH /{id}': records(true, ['update', type]),
    'DELETE /{id}': records(true, ['delete', type]),
    'POST /{id}/restore': records(true, ['delete', type]),
    'GET /{id}/history': { ...records(true, ['read', type]), purged: true } as Expected,
    'GET /{id}/duplicates': records(true, ['read', type]),
    'POST /{id}/merge': records(true, ['update', type], ['delete', type]),
    'PATCH /{id}/owner': records(true, ['update', type]),
    'POST /{id}/processes': records(true, ['update', type]),
  };
  return byRest[rest];
}

const declared = (access: RouteAccess | undefined): Expected | undefined => {
  if (!access) return undefined;
  if (access.kind !== 'records') return { kind: access.kind };
  const name = (type: Need['type']) => (typeof type === 'string' ? type : (type as RecordTypeSpec).name);
  return { kind: 'records', needs: access.needs.map((need) => ({ action: need.action, type: name(need.type) })), record: access.record, ...(access.purged ? { purged: true } : {}) };
};

describe('the route table', () => {
  it('every route declares what it needs, and it is what its method and path say', () => {
    const wrong = ROUTES.flatMap((route) => {
      const expected = needsOf(route);
      const actual = declared(route.access);
      if (!actual) return [`${route.method} ${route.path}: declares nothing`];
      if (!expected) return [`${route.method} ${route.path}: unknown to this test; say in needsOf what it needs`];
      return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [`${route.method} ${route.path}: declares ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
    });
    expect(wrong).toEqual([]);
  });
});

// A custom role, defined by the tenant's administrator: odd on purpose (own companies without
// their name, activities of the team, nothing else).
const CONTRACTOR = { name: 'Contractor', administer: false, types: { company: { actions: ['read', 'update'], scope: 'own', readOnlyFields: ['name'] }, activity: { actions: ['create', 'read'], scope: 'team', readOnlyFields: [] } } };

let cloud: TestCloud;
/** Per role: per type, a record of its own; of each type that assigns records, someone else's assigned to it; its import job. */
const roles: Array<{ role: Role; client: ApiClient; own: Map<string, string>; assigned: Map<string, string>; job?: string }> = [];
/** Per type: a record owned by someone in no one's team (in scope only for `all`), and one of the other tenant. */
const outsider = new Map<string, string>();
const foreign = new Map<string, string>();
/** Per type: a record of that someone, purged after the trash (its history outlives it). */
const purged = new Map<string, string>();
/** Import jobs: the administrator's (an outsider's to everyone else) and the other tenant's. */
const jobs = { outsider: '', foreign: '' };
/** A job's routes: the job and its error file. */
const JOB_ROUTES = new Set(['/api/imports/{id}', '/api/imports/{id}/errors.csv']);

/** A dry-run import of a type the role may import: a job of the caller's own. */
async function importJob(client: ApiClient, role: Role): Promise<string | undefined> {
  const type = RECORD_TYPES.find((t) => role.types[t.name]?.actions.includes('import'));
  if (!type) return undefined;
  const response = await client.request('POST', `/api/imports?type=${type.plural}&dryRun=true`, `Name,Kind\r\nMatrix import,task\r\n`, { 'content-type': 'text/csv' });
  expect(response.status, response.text).toBe(200);
  return response.json.id;
}

const FIELDS: Record<string, Record<string, unknown>> = {
  company: { name: 'Matrix Co' },
  contact: { name: 'Matrix Contact' },
  lead: { name: 'Matrix Lead' },
  deal: { name: 'Matrix Deal' },
  product: { name: 'Matrix Product' },
  activity: { name: 'Matrix Activity', kind: 'task' },
};

beforeAll(async () => {
  cloud = await startTestCloud();
  const admin = await cloud.userOf('matrix', ['administrator']);
  const custom = await admin.post('/api/roles', CONTRACTOR);
  expect(custom.status, custom.text).toBe(201);
  const other = (await person(cloud, 'matrix', undefined)).sub;
  const rival = await cloud.userOf('matrix-rival', ['administrator']);
  for (const group of USER_GROUPS) roles.push({ role: BUILT_IN_ROLES.find((r) => r.id === group)!, ...(await person(cloud, 'matrix', group as UserGroup)), own: new Map(), assigned: new Map() } as never);
  const contractor = await person(cloud, 'matrix', undefined);
  expect((await admin.patch(`/api/users/${contractor.sub}`, { version: 1, fields: { role: custom.json.id } })).status).toBe(200);
  roles.push({ role: custom.json, client: contractor.client, own: new Map(), assigned: new Map() });
  await Promise.all(
    RECORD_TYPES.map(async (type) => {
      outsider.set(type.name, (await ownedBy(admin, type.plural, FIELDS[type.name], other)).id);
      const gone = await ownedBy(admin, type.plural, FIELDS[type.name], other);
      await purge(cloud.dynamoEndpoint, 'matrix', admin, type.name, gone.id, gone.version);
      purged.set(type.name, gone.id);
      foreign.set(type.name, (await rival.post(`/api/${type.plural}`, FIELDS[type.name])).json.id);
      await Promise.all(
        roles.map(async (entry) => {
          const sub = (await entry.client.get('/api/me')).json.sub;
          entry.own.set(type.name, (await ownedBy(admin, type.plural, FIELDS[type.name], sub)).id);
          // Scope is by owner or assignee: someone else's record assigned to this user is theirs to see.
          for (const field of type.assignees?.slice(0, 1) ?? []) entry.assigned.set(type.name, (await ownedBy(admin, type.plural, { ...FIELDS[type.name], [field]: sub }, other)).id);
        }),
      );
    }),
  );
  jobs.outsider = (await importJob(admin, BUILT_IN_ROLES[0]))!;
  jobs.foreign = (await importJob(rival, BUILT_IN_ROLES[0]))!;
  for (const entry of roles) entry.job = await importJob(entry.client, entry.role);
}, 120_000);
afterAll(() => cloud?.stop());

type Target = 'own' | 'assigned' | 'outsider' | 'foreign' | 'purged';

interface Case {
  route: Route;
  type?: RecordTypeSpec;
  target?: Target;
  method: string;
  path: string;
}

/** Concrete requests for a route: each record type its path can name, each target when it names a record. */
function casesOf(route: Route): Case[] {
  const expected = needsOf(route)!;
  const types = route.path.includes('{type}') ? RECORD_TYPES : [RECORD_TYPES.find((t) => route.path.startsWith(`/api/${t.plural}/`) || route.path === `/api/${t.plural}`) ?? (route.path.startsWith('/api/leads/') ? RECORD_TYPES.find((t) => t.name === 'lead') : undefined)];
  // A record route is asked of the caller's own record, (of a type that assigns records) an
  // outsider's assigned to the caller, an outsider's, another tenant's, and (for a history) an
  // outsider's purged one; a job's route of the caller's own job, the administrator's, another tenant's.
  const targetsOf = (type: RecordTypeSpec | undefined): Array<Target | undefined> =>
    JOB_ROUTES.has(route.path) ? ['own', 'outsider', 'foreign']
    : expected.kind === 'records' && expected.record ? ['own', ...(type?.assignees?.length ? ['assigned' as const] : []), 'outsider', 'foreign', ...(expected.purged ? ['purged' as const] : [])]
    : [undefined];
  if (targetsOf(types[0])[0] && !types[0] && !JOB_ROUTES.has(route.path)) throw new Error(`no record type for ${route.method} ${route.path}`);
  return types.flatMap((type) =>
    targetsOf(type).map((target) => {
      let path = route.path.replace('{type}', type?.name ?? '').replace('{sub}', 'nobody').replace('{key}', 'cf_nothing');
      path = path.replace('{id}', target ? 'RECORD' : ulid());
      if (path === '/api/imports' && route.method === 'POST') path += `?type=${RECORD_TYPES[0].plural}&dryRun=true`;
      return { route, type, target, method: route.method, path };
    }),
  );
}

/** What the role may, read off its definition: the test's own reading, not the server's. */
function verdict(role: Role, expected: Expected, c: Case): 'allowed' | 'forbidden' | 'invisible' {
  if (expected.kind === 'signed-in') return 'allowed';
  if (expected.kind === 'administer') return role.administer ? 'allowed' : 'forbidden';
  const may = (action: Action, typeName: string) => role.types[typeName]?.actions.includes(action) ?? false;
  for (const need of expected.needs) {
    const names = need.type === 'any' ? RECORD_TYPES.map((t) => t.name) : need.type === 'path' || need.type === 'query' ? [c.type?.name ?? RECORD_TYPES[0].name] : [need.type];
    if (!names.some((name) => may(need.action, name))) return 'forbidden';
  }
  if (c.target === 'foreign') return 'invisible';
  // A job is its starter's, and the tenant's administrators'.
  if (JOB_ROUTES.has(c.route.path)) return c.target === 'outsider' && !role.administer ? 'invisible' : 'allowed';
  if ((c.target === 'outsider' || c.target === 'purged') && role.types[c.type!.name]?.scope !== 'all') return 'invisible';
  // Own, or assigned to the caller: theirs whatever the scope (scope is by owner or assignee).
  return 'allowed';
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

describe('every role × every route × record type, in two tenants', () => {
  it('answers allowed, 403 forbidden or 404 invisible as the role definitions say', async () => {
    const failures: string[] = [];
    const counts = { allowed: 0, forbidden: 0, invisible: 0, assigned: 0 };
    const cases = ROUTES.flatMap(casesOf);
    const work = roles.flatMap((entry) => cases.map((c) => ({ entry, c })));
    await inParallel(work, 8, async ({ entry, c }) => {
      const expected = verdict(entry.role, needsOf(c.route)!, c);
      counts[expected]++;
      if (c.target === 'assigned' && expected === 'allowed') counts.assigned++;
      const id =
        !c.target ? undefined
        : JOB_ROUTES.has(c.route.path) ? (c.target === 'own' ? (entry.job ?? jobs.outsider) : jobs[c.target as 'outsider' | 'foreign'])
        : ({ own: entry.own, assigned: entry.assigned, outsider, foreign, purged } as const)[c.target].get(c.type!.name);
      const path = c.path.replace('RECORD', id ?? '');
      // No bodies: what is checked comes before the body is read, and nothing is changed.
      const response = await entry.client.request(c.method, path, ['POST', 'PATCH'].includes(c.method) ? {} : undefined);
      const got = response.status;
      const ok =
        expected === 'forbidden' ? got === 403 && response.json?.error?.code === 'Forbidden' :
        expected === 'invisible' ? got === 404 :
        got !== 403 && !(c.target && got === 404) && got < 500;
      if (!ok) failures.push(`${entry.role.name}: ${c.method} ${path} (${c.target ?? '-'}) expected ${expected}, got ${got} ${response.text.slice(0, 160)}`);
    });
    expect(failures).toEqual([]);
    // Each verdict happens, for every role and every route.
    expect(counts.allowed * counts.forbidden * counts.invisible).toBeGreaterThan(0);
    expect(new Set(work.map(({ c }) => `${c.method} ${c.route.path}`)).size).toBe(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size);
    // The assignee case is asked, of activities at least (issue 13), and allowed where the role may.
    expect(new Set(cases.filter((c) => c.target === 'assigned').map((c) => c.type!.name))).toContain('activity');
    expect(counts.assigned).toBeGreaterThan(0);
  }, 240_000);
});

describe('every role × every relation it may set × whose record it names', () => {
  it('links to a record the role may see, and refuses any other exactly as an id that does not exist', async () => {
    const failures: string[] = [];
    let cases = 0;
    const unknown = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    for (const entry of roles) {
      for (const type of RECORD_TYPES.filter((t) => entry.role.types[t.name]?.actions.includes('create'))) {
        // A field the role may not set (read-only for it) is refused before its value is read: not what this asks.
        for (const relation of type.relations.filter((r) => !entry.role.types[type.name].readOnlyFields.includes(r.path.split('.')[0]))) {
          const target = RECORD_TYPES.find((t) => t.key === relation.target)!;
          const body = (id: string) => ({ ...FIELDS[type.name], ...(relation.path === 'lines.productId' ? { lines: [{ productId: id, name: 'L', quantity: 1, unitPrice: { amount: '1', currency: 'EUR' } }] } : { [relation.path]: relation.path.endsWith('Ids') ? [id] : id }) });
          const refused = await entry.client.post(`/api/${type.plural}`, body(unknown));
          const shape = (response: typeof refused, id: string) => JSON.stringify({ status: response.status, issues: response.json?.error?.issues?.map((issue: { path: string; message: string }) => ({ path: issue.path, message: issue.message.split(id).join('<id>') })) });
          const access = entry.role.types[target.name];
          const reads = access?.actions.includes('read') ?? false;
          for (const [whose, ids] of [['own', entry.own], ['outsider', outsider], ['foreign', foreign]] as const) {
            cases++;
            const id = ids.get(target.name)!;
            const linkable = whose !== 'foreign' && reads && (whose === 'own' || access!.scope === 'all');
            const response = await entry.client.post(`/api/${type.plural}`, body(id));
            const ok = linkable ? response.status === 201 : shape(response, id) === shape(refused, unknown) && response.status === 400;
            if (!ok) failures.push(`${entry.role.name}: ${type.name}.${relation.path} -> ${whose} ${target.name}: expected ${linkable ? 201 : 'as unknown (400)'}, got ${response.status} ${response.text.slice(0, 160)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  }, 240_000);
});

// Who starts which process and sees which instances: each role in a tenant of its own for this,
// its user in the team the sales are fulfilled by (so a sale offered to that team is one of theirs).
describe('every role × every process: who starts it, whose instances it sees', () => {
  const TENANT = 'matrix-processes';
  type Seen = { role: Role; client: ApiClient; sub: string; company: string };
  const people: Seen[] = [];
  let admin: ApiClient;
  let ours: string; // the team every role's user is in
  let theirs: string; // a team none of them is in

  beforeAll(async () => {
    admin = await cloud.userOf(TENANT, ['administrator']);
    const team = async (name: string) => (await admin.post('/api/teams', { name, supervisor: null })).json.id as string;
    [ours, theirs] = [await team('Matrix warehouse'), await team('Other warehouse')];
    const custom = (await admin.post('/api/roles', CONTRACTOR)).json;
    const entries: Array<[Role, UserGroup | undefined]> = [...USER_GROUPS.map((group) => [BUILT_IN_ROLES.find((r) => r.id === group)!, group] as [Role, UserGroup]), [custom, undefined]];
    for (const [role, group] of entries) {
      const { client, sub } = await person(cloud, TENANT, group);
      const fields = { teams: [ours], ...(group ? {} : { role: role.id }) };
      const joined = await admin.patch(`/api/users/${sub}`, { version: 1, fields });
      expect(joined.status, joined.text).toBe(200);
      people.push({ role, client, sub, company: (await ownedBy(admin, 'companies', { name: `Matrix process co ${role.name}` }, sub)).id });
    }
  }, 120_000);

  const sale = () => ({ process: 'quick-sale', idempotencyKey: ulid(), input: order() });
  /** The tenant's quick sale fulfilled by `team` from now on (a start takes the configuration as it is). */
  const fulfilledBy = (team: string) => configureQuickSale(admin, quickSaleConfig(team));

  it('starts where the role may start the process and update the record; lists and reads the instances its process scope and record scope hold', async () => {
    const failures: string[] = [];
    for (const { role, client, company } of people) {
      const access = (role.processes as Record<string, { start: boolean; see: string }> | undefined)?.['quick-sale'];
      const readsCompanies = role.types.company?.actions.includes('read') ?? false;
      const mayStart = (role.types.company?.actions.includes('update') ?? false) && (access?.start ?? false);
      // The administrator's sales on the role's company: one offered to the role's team, one to another.
      await fulfilledBy(ours);
      const offered = (await admin.post(`/api/companies/${company}/processes`, sale())).json.id as string;
      await fulfilledBy(theirs);
      const elsewhere = (await admin.post(`/api/companies/${company}/processes`, sale())).json.id as string;
      const own = await client.post(`/api/companies/${company}/processes`, sale());
      if (own.status !== (mayStart ? 201 : 403)) failures.push(`${role.name}: start expected ${mayStart ? 201 : 403}, got ${own.status} ${own.text.slice(0, 160)}`);
      // Offered once its first step is: wait for the instances to be at a step.
      for (const id of [offered, elsewhere]) await instanceAt(admin, id, { step: 'Fulfil' });
      const see = access?.see ?? 'none';
      const expected: Record<string, boolean> = {
        ...(own.status === 201 ? { [own.json.id]: readsCompanies && see !== 'none' } : {}),
        [offered]: readsCompanies && see !== 'none',
        [elsewhere]: readsCompanies && see === 'all',
      };
      const listedIds = new Set((await client.get(`/api/processes/instances?subject=company:${company}&limit=100`)).json.items?.map((i: { id: string }) => i.id) ?? []);
      for (const [id, seen] of Object.entries(expected)) {
        const read = await client.get(`/api/processes/instances/${id}`);
        const timeline = await client.get(`/api/processes/instances/${id}/timeline`);
        if (read.status !== (seen ? 200 : 404) || timeline.status !== (seen ? 200 : 404) || listedIds.has(id) !== seen) {
          failures.push(`${role.name} (${see}): instance ${id === offered ? 'offered to their team' : id === elsewhere ? 'offered elsewhere' : 'of their own'} expected ${seen ? 'seen' : 'unseen'}, got read ${read.status}, timeline ${timeline.status}, listed ${listedIds.has(id)}`);
        }
      }
      // The monitor lists the processes the role starts or sees.
      const processes = (await client.get('/api/processes')).json.items.map((p: { name: string; mayStart: boolean }) => [p.name, p.mayStart]);
      const shown = (access?.start ?? false) || see !== 'none' ? [['quick-sale', access?.start ?? false]] : [];
      if (JSON.stringify(processes) !== JSON.stringify(shown)) failures.push(`${role.name}: GET /api/processes expected ${JSON.stringify(shown)}, got ${JSON.stringify(processes)}`);
    }
    expect(failures).toEqual([]);
    // Every verdict happens: a start allowed and refused, an instance seen and not, a monitor shown and not.
    const sees = people.map(({ role }) => (role.processes as Record<string, { see: string }> | undefined)?.['quick-sale']?.see ?? 'none');
    expect(new Set(sees)).toEqual(new Set(['all', 'team', 'own', 'none']));
  }, 240_000);
});

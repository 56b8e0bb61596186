/**
 * A well-formed request for every route of the API (`ROUTES`), aimed at resources of one tenant:
 * the tenancy test sends each as another tenant (so that only the tenant check can refuse it), and
 * as that tenant aimed at its own (so that the request is shown to be one the route accepts); the
 * bad-input and limits tests break one part of it. A route added without a request here fails them.
 *
 * Record-type routes are one shape for all types (`GET /api/{plural}/{id}`); a route of one type
 * only (`POST /api/leads/{id}/convert`) keeps its own path.
 */
import { ROUTES } from '../../functions/api/routes.ts';
import type { Route } from '../../functions/api/router.ts';
import { RECORD_TYPES, type RecordTypeSpec } from '../../functions/records/record-types.ts';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import type { ApiClient, ApiResponse } from './cloud.ts';
import { dayOff, icsText } from './ics-file.ts';
import { configureQuickSale, line, order, quickSaleConfig } from './quick-sales.ts';
import { pipelineOf } from './pipelines.ts';

export interface RouteRequest {
  method: string;
  /** With the query. */
  path: string;
  /** JSON, or a string sent as it is (with `headers` saying what it is). */
  body?: unknown;
  headers?: Record<string, string>;
}

export const send = (client: ApiClient, { method, path, body, headers }: RouteRequest): Promise<ApiResponse> => client.request(method, path, body, headers);

/** A resource of the tenant, and how to read it back (to see that nothing changed it). */
export interface Resource {
  id: string;
  version: number;
  name: string;
  read(): Promise<unknown>;
}

/**
 * The tenant's resources a request can be aimed at, made on first use and then kept: a live record
 * of each type and another one (to merge), a trashed one, a custom field (live and deleted), a view,
 * a team, a custom role, a user other than the caller, an import job, a remembered mapping, the
 * tenant's settings, its quick-sale configuration.
 */
export interface Aim {
  tenant: string;
  record(type: RecordTypeSpec): Promise<Resource>;
  other(type: RecordTypeSpec): Promise<Resource>;
  trashed(type: RecordTypeSpec): Promise<Resource>;
  /** A custom field of companies (`id` is its key). */
  field(): Promise<Resource>;
  deletedField(): Promise<Resource>;
  /** A view of companies. */
  view(): Promise<Resource>;
  team(): Promise<Resource>;
  role(): Promise<Resource>;
  /** The tenant's name (`id` names it; it has none). */
  tenantName(): Promise<Resource>;
  /** A user of the tenant other than the caller (`id` is their sub). */
  user(): Promise<Resource>;
  importJob(): Promise<Resource>;
  /** The caller's remembered mapping of companies' files (`id` is a column it maps, named after the aim). */
  mapping(): Promise<Resource>;
  /** The tenant's settings (`id` names them; they have none). */
  settings(): Promise<Resource>;
  /** The caller's notification preferences (`id` names them). */
  notificationPreferences(): Promise<Resource>;
  /** The tenant's quick-sale configuration, its fulfilment and quality control offered to a team the caller is in (`id` names it). */
  processConfig(): Promise<Resource>;
  /** A quick sale started on the aim's company, one per `purpose` (a cancel ends its own). */
  instance(purpose?: string): Promise<Resource>;
  /** The fulfilment task of a quick sale of its own, offered to a team the caller is in; `claimed` by the caller, or still open. */
  task(purpose: string, claimed?: boolean): Promise<Resource>;
  /** A team's business calendar of its own (`id` is the team's id). */
  calendar(): Promise<Resource>;
  /** A pipeline of the tenant's own, one per `purpose` (a delete or a merge changes its own; `id` is its key). */
  pipeline(purpose?: string): Promise<Resource>;
  /** The resources asked for since the last call. */
  takeAimedAt(): Resource[];
}

/** Makes the tenant's resources as `client` (an administrator of `tenant`), each named `<label> <what> <n>`. */
export function aimAt(client: ApiClient, tenant: string, label: string): Aim {
  const made = new Map<string, Promise<Resource>>();
  let aimedAt: Resource[] = [];
  let count = 0;
  const named = (what: string) => `${label} ${what} ${++count}`;
  const once = (key: string, make: () => Promise<Resource>) => {
    if (!made.has(key)) made.set(key, make());
    return made.get(key)!.then((resource) => {
      aimedAt.push(resource);
      return resource;
    });
  };
  const ok = async (response: Promise<ApiResponse>, status: number) => {
    const answer = await response;
    if (answer.status !== status) throw new Error(`could not make a resource to aim at (${answer.status}): ${answer.text}`);
    return answer.json;
  };
  /** A resource read back from a list, as the item with its id. */
  const listed = (path: string, idKey: string, id: string) => async () => (await client.get(path)).json.items.find((item: Record<string, unknown>) => item[idKey] === id);
  const newRecord = async (type: RecordTypeSpec) => {
    const name = named(type.name);
    const record = await ok(client.post(`/api/${type.plural}`, { name, ...(type.name === 'activity' ? { kind: 'task' } : {}) }), 201);
    return { id: record.id as string, version: record.version as number, name, read: async () => (await client.get(`/api/${type.plural}/${record.id}`)).json };
  };
  const newField = async () => {
    const name = named('field');
    const field = await ok(client.post('/api/fields/company', { label: name, type: 'text' }), 201);
    return { id: field.key as string, version: field.version as number, name, read: listed('/api/fields/company', 'key', field.key) };
  };
  const taskTeam = () =>
    once('task team', async () => {
      const made = await ok(client.post('/api/teams', { name: named('task team') }), 201);
      const me = (await ok(client.get('/api/me'), 200)).sub as string;
      const version = (await ok(client.get('/api/users'), 200)).items.find((user: { sub: string }) => user.sub === me).version;
      await ok(client.patch(`/api/users/${me}`, { version, fields: { teams: [made.id] } }), 200);
      return { id: made.id as string, version: 1, name: made.name as string, read: async () => made };
    });
  const processConfig = () =>
    once('process config', async () => {
      const saved = await configureQuickSale(client, quickSaleConfig((await taskTeam()).id));
      const read = async () => (await client.get('/api/processes/quick-sale/config')).json;
      return { id: `quick-sale configuration of ${tenant}`, version: saved.json.version as number, name: 'quick-sale configuration', read };
    });
  return {
    tenant,
    takeAimedAt: () => {
      const taken = aimedAt;
      aimedAt = [];
      return [...new Set(taken)];
    },
    record: (type) => once(`record ${type.name}`, () => newRecord(type)),
    other: (type) => once(`other ${type.name}`, () => newRecord(type)),
    trashed: (type) =>
      once(`trashed ${type.name}`, async () => {
        const live = await newRecord(type);
        await ok(client.delete(`/api/${type.plural}/${live.id}?version=${live.version}`), 204);
        const read = listed(`/api/${type.plural}/trash?limit=1000`, 'id', live.id);
        return { ...live, version: ((await read()) as { version: number }).version, read };
      }),
    field: () => once('field', newField),
    deletedField: () =>
      once('deleted field', async () => {
        const live = await newField();
        await ok(client.delete(`/api/fields/company/${live.id}?version=${live.version}`), 204);
        const read = listed('/api/fields/company?deleted=true', 'key', live.id);
        return { ...live, version: ((await read()) as { version: number }).version, read };
      }),
    view: () =>
      once('view', async () => {
        const name = named('view');
        const view = await ok(client.post('/api/views/company', { name, columns: ['name'] }), 201);
        return { id: view.id, version: view.version, name, read: listed('/api/views/company', 'id', view.id) };
      }),
    team: () =>
      once('team', async () => {
        const name = named('team');
        const team = await ok(client.post('/api/teams', { name }), 201);
        return { id: team.id, version: team.version, name, read: listed('/api/teams', 'id', team.id) };
      }),
    role: () =>
      once('role', async () => {
        const name = named('role');
        const role = await ok(client.post('/api/roles', { name, types: { company: { actions: ['read'], scope: 'all' } } }), 201);
        return { id: role.id, version: role.version, name, read: listed('/api/roles', 'id', role.id) };
      }),
    tenantName: () =>
      once('tenant name', async () => {
        const read = async () => (await client.get('/api/tenant')).json;
        return { id: `name of ${tenant}`, version: (await read()).version, name: 'tenant name', read };
      }),
    user: () =>
      once('user', async () => {
        const name = named('user');
        const user = await ok(client.post('/api/users', { email: `${ulid().toLowerCase()}@${tenant}.example`, name, role: 'sales-representative' }), 201);
        return { id: user.sub, version: user.version, name, read: listed('/api/users', 'sub', user.sub) };
      }),
    importJob: () =>
      once('import job', async () => {
        const name = named('imported company');
        const job = await ok(client.request('POST', '/api/imports?type=companies', `Name\n${name}\n`, { 'content-type': 'text/csv' }), 201);
        return { id: job.id, version: 1, name, read: async () => (await client.get(`/api/imports/${job.id}`)).json };
      }),
    mapping: () =>
      once('mapping', async () => {
        const column = named('column');
        const mapping = encodeURIComponent(JSON.stringify({ Name: 'name', [column]: null }));
        await ok(client.request('POST', `/api/imports?type=companies&mapping=${mapping}`, `Name,${column}\n${named('mapped company')},x\n`, { 'content-type': 'text/csv' }), 201);
        return { id: column, version: 1, name: column, read: async () => (await client.get('/api/imports/mappings/company')).json };
      }),
    calendar: () =>
      once('calendar', async () => {
        const name = named('calendar team');
        const team = await ok(client.post('/api/teams', { name }), 201);
        const calendar = await ok(client.patch(`/api/calendars/${team.id}`, { version: 0, fields: { timeZone: 'Europe/Berlin' } }), 200);
        return { id: team.id as string, version: calendar.version as number, name, read: async () => (await client.get(`/api/calendars/${team.id}`)).json };
      }),
    settings: () =>
      once('settings', async () => {
        const read = async () => (await client.get('/api/settings')).json;
        return { id: `settings of ${tenant}`, version: (await read()).version, name: 'settings', read };
      }),
    notificationPreferences: () =>
      once('notificationPreferences', async () => {
        const read = async () => (await client.get('/api/notifications/preferences')).json;
        return { id: `notification preferences of ${label}`, version: (await read()).version, name: 'notification preferences', read };
      }),
    task: (purpose, claimed = false) =>
      once(`task ${purpose}`, async () => {
        // Offered to the task team, as the tenant's configuration says.
        await processConfig();
        const subject = await newRecord(company);
        const instance = await ok(client.post(`/api/companies/${subject.id}/processes`, quickSale()), 201);
        const read = async () => (await client.get('/api/tasks?view=team&limit=100')).json.items.find((task: { instance: string }) => task.instance === instance.id) ?? (await client.get('/api/tasks?view=mine&limit=100')).json.items.find((task: { instance: string }) => task.instance === instance.id);
        // The state machine offers it once it reaches the step.
        let task: { id: string; version: number } | undefined;
        await expect.poll(async () => (task = await read()), { timeout: 20_000 }).toBeDefined();
        if (claimed) task = await ok(client.post(`/api/tasks/${task!.id}/claim`, {}), 200);
        const byId = async () => (await client.get(`/api/tasks/${task!.id}`)).json;
        return { id: task!.id, version: task!.version, name: named('task'), read: byId };
      }),
    processConfig,
    pipeline: (purpose = 'change') =>
      once(`pipeline ${purpose}`, async () => {
        const key = `aimed_${purpose}_${++count}`;
        const made = await ok(client.post('/api/pipelines', pipelineOf(key)), 201);
        return { id: key, version: made.version as number, name: made.label as string, read: listed('/api/pipelines', 'key', key) };
      }),
    instance: (purpose = 'read') =>
      once(`instance ${purpose}`, async () => {
        const name = named('instance');
        const subject = await newRecord(company);
        const instance = await ok(client.post(`/api/companies/${subject.id}/processes`, quickSale()), 201);
        const read = async () => (await client.get(`/api/processes/instances/${instance.id}`)).json;
        // Settled where it waits (its fulfilment), so that reading it again shows only what a request changed.
        await expect.poll(async () => (await read()).step, { timeout: 20_000 }).toBe('Fulfil');
        return { id: instance.id, version: 1, name, read };
      }),
  };
}

/** A valid start of a quick sale (fulfilled as the tenant's configuration says), under a new idempotency key; `extra` in its order. */
export const quickSale = (extra: Record<string, unknown> = {}) => ({ process: 'quick-sale', idempotencyKey: uniqueSuffix(), input: order({ lines: [line('Aimed line', 1)], ...extra }) });

const PLURALS = new Map(RECORD_TYPES.map((type) => [type.plural, type]));
const typeOfPath = (path: string) => PLURALS.get(path.split('/')[2]);
const generalised = (route: Route) => `${route.method} ${typeOfPath(route.path) ? route.path.replace(/^\/api\/[a-z]+/, '/api/{plural}') : route.path}`;
const typesPerShape = new Map<string, number>();
for (const route of ROUTES) typesPerShape.set(generalised(route), (typesPerShape.get(generalised(route)) ?? 0) + 1);

/** The route's shape (`PATCH /api/{plural}/{id}`, `POST /api/leads/{id}/convert`) and its record type, if it is a record-type route. */
export function shapeOf(route: Route): { shape: string; type?: RecordTypeSpec } {
  const shape = generalised(route);
  return typesPerShape.get(shape)! > 1 ? { shape, type: typeOfPath(route.path) } : { shape: `${route.method} ${route.path}`, type: typeOfPath(route.path) };
}

const company = RECORD_TYPES.find((type) => type.name === 'company')!;
const lead = RECORD_TYPES.find((type) => type.name === 'lead')!;
const deal = RECORD_TYPES.find((type) => type.name === 'deal')!;

type Build = (aim: Aim, type: RecordTypeSpec) => Promise<Omit<RouteRequest, 'method'>>;

/** A request the route accepts from an administrator of the aim's tenant, by route shape. */
export const VALID_REQUESTS: Record<string, Build> = {
  'GET /api/me': async () => ({ path: '/api/me' }),
  'GET /api/users': async () => ({ path: '/api/users' }),
  'POST /api/users': async (aim) => ({ path: '/api/users', body: { email: `invited-${uniqueSuffix()}@${aim.tenant}.example`, role: 'sales-representative' } }),
  'PATCH /api/users/{sub}': async (aim) => {
    const user = await aim.user();
    return { path: `/api/users/${user.id}`, body: { version: user.version, fields: { name: 'Renamed user' } } };
  },
  'POST /api/users/{sub}/reset-password': async (aim) => ({ path: `/api/users/${(await aim.user()).id}/reset-password`, body: {} }),
  'POST /api/users/{sub}/resend-invitation': async (aim) => ({ path: `/api/users/${(await aim.user()).id}/resend-invitation`, body: {} }),
  'GET /api/teams': async () => ({ path: '/api/teams' }),
  'POST /api/teams': async () => ({ path: '/api/teams', body: { name: `Team ${uniqueSuffix()}` } }),
  'PATCH /api/teams/{id}': async (aim) => {
    const team = await aim.team();
    return { path: `/api/teams/${team.id}`, body: { version: team.version, fields: { name: 'Renamed team' } } };
  },
  'DELETE /api/teams/{id}': async (aim) => {
    const team = await aim.team();
    return { path: `/api/teams/${team.id}?version=${team.version}` };
  },
  'GET /api/roles': async () => ({ path: '/api/roles' }),
  'POST /api/roles': async () => ({ path: '/api/roles', body: { name: `Role ${uniqueSuffix()}`, types: { company: { actions: ['read'], scope: 'own' } } } }),
  'PATCH /api/roles/{id}': async (aim) => {
    const role = await aim.role();
    return { path: `/api/roles/${role.id}`, body: { version: role.version, fields: { name: 'Renamed role' } } };
  },
  'DELETE /api/roles/{id}': async (aim) => {
    const role = await aim.role();
    return { path: `/api/roles/${role.id}?version=${role.version}` };
  },
  'GET /api/audit': async () => ({ path: '/api/audit?limit=10' }),
  'GET /api/tenant': async () => ({ path: '/api/tenant' }),
  'PATCH /api/tenant': async (aim) => ({ path: '/api/tenant', body: { version: (await aim.tenantName()).version, name: `Company ${uniqueSuffix()}` } }),
  'GET /api/changes': async () => ({ path: '/api/changes?after=0&limit=10' }),
  'POST /api/bulk': async (aim) => {
    const record = await aim.record(company);
    return { path: '/api/bulk', body: { changes: [{ type: 'company', id: record.id, version: record.version, field: 'industry', value: 'Changed in bulk' }] } };
  },
  'POST /api/trash': async (aim) => {
    const record = await aim.record(company);
    return { path: '/api/trash', body: { items: [{ type: 'company', id: record.id, version: record.version }] } };
  },
  'POST /api/trash/restore': async (aim) => {
    const record = await aim.trashed(company);
    return { path: '/api/trash/restore', body: { items: [{ type: 'company', id: record.id, version: record.version }] } };
  },
  'GET /api/search': async (aim) => ({ path: `/api/search?q=${encodeURIComponent((await aim.record(company)).name)}` }),
  'GET /api/fields/{type}': async () => ({ path: '/api/fields/company' }),
  'POST /api/fields/{type}': async () => ({ path: '/api/fields/company', body: { label: `Field ${uniqueSuffix()}`, type: 'text' } }),
  'PATCH /api/fields/{type}/{key}': async (aim) => {
    const field = await aim.field();
    return { path: `/api/fields/company/${field.id}`, body: { version: field.version, label: `Renamed field ${uniqueSuffix()}` } };
  },
  'DELETE /api/fields/{type}/{key}': async (aim) => {
    const field = await aim.field();
    return { path: `/api/fields/company/${field.id}?version=${field.version}` };
  },
  'POST /api/fields/{type}/{key}/restore': async (aim) => ({ path: `/api/fields/company/${(await aim.deletedField()).id}/restore`, body: {} }),
  'GET /api/views/{type}': async () => ({ path: '/api/views/company' }),
  'POST /api/views/{type}': async () => ({ path: '/api/views/company', body: { name: 'A view', columns: ['name'] } }),
  'POST /api/views/{type}/rows': async (aim) => ({ path: '/api/views/company/rows', body: { columns: ['name'], ids: [(await aim.record(company)).id] } }),
  'PATCH /api/views/{type}/{id}': async (aim) => {
    const view = await aim.view();
    return { path: `/api/views/company/${view.id}`, body: { version: view.version, fields: { name: 'Renamed view' } } };
  },
  'DELETE /api/views/{type}/{id}': async (aim) => {
    const view = await aim.view();
    return { path: `/api/views/company/${view.id}?version=${view.version}` };
  },
  'GET /api/views/{type}/{id}/rows': async (aim) => ({ path: `/api/views/company/${(await aim.view()).id}/rows?offset=0&limit=100` }),
  'POST /api/leads/{id}/convert': async (aim) => {
    const record = await aim.record(lead);
    return { path: `/api/leads/${record.id}/convert`, body: { version: record.version, deal: null } };
  },
  'POST /api/imports/uploads': async () => ({ path: '/api/imports/uploads', body: { type: 'companies', fileName: 'companies.csv', size: 100 } }),
  'POST /api/imports': async () => ({ path: '/api/imports?type=companies&dryRun=true', body: 'Name\nImported Co\n', headers: { 'content-type': 'text/csv' } }),
  'GET /api/imports/{id}': async (aim) => ({ path: `/api/imports/${(await aim.importJob()).id}` }),
  'GET /api/imports/{id}/errors.csv': async (aim) => ({ path: `/api/imports/${(await aim.importJob()).id}/errors.csv` }),
  'GET /api/imports/mappings/{type}': async (aim) => {
    await aim.mapping();
    return { path: '/api/imports/mappings/company' };
  },
  'GET /api/settings': async () => ({ path: '/api/settings' }),
  'GET /api/pipelines': async () => ({ path: '/api/pipelines' }),
  'GET /api/analytics/{report}': async () => ({ path: '/api/analytics/funnel?pipeline=default&conversion=skipped' }),
  // A deal of the aim entered the first stage today: the funnel's first number.
  'GET /api/analytics/{report}/drill': async (aim) => {
    await aim.record(deal);
    return { path: '/api/analytics/funnel/drill?pipeline=default&cell=entered%3Anew' };
  },
  'GET /api/deals/{id}/stage-moves': async (aim) => ({ path: `/api/deals/${(await aim.record(deal)).id}/stage-moves?limit=10` }),
  'POST /api/pipelines': async () => ({ path: '/api/pipelines', body: pipelineOf(`added_${uniqueSuffix().toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 40)) }),
  'PUT /api/pipelines/{key}': async (aim) => {
    const pipeline = await aim.pipeline();
    return { path: `/api/pipelines/${pipeline.id}`, body: { version: pipeline.version, pipeline: { ...pipelineOf(pipeline.id), label: 'Renamed pipeline' } } };
  },
  'DELETE /api/pipelines/{key}': async (aim) => {
    const pipeline = await aim.pipeline('delete');
    return { path: `/api/pipelines/${pipeline.id}?version=${pipeline.version}` };
  },
  'POST /api/pipelines/{key}/stages/{stage}/merge': async (aim) => {
    const pipeline = await aim.pipeline('merge');
    return { path: `/api/pipelines/${pipeline.id}/stages/open_2/merge`, body: { into: 'open_1', version: pipeline.version } };
  },
  'GET /api/notifications': async () => ({ path: '/api/notifications?limit=10' }),
  'POST /api/notifications/read': async () => ({ path: '/api/notifications/read', body: { all: true } }),
  'GET /api/notifications/preferences': async () => ({ path: '/api/notifications/preferences' }),
  'PUT /api/notifications/preferences': async (aim) => ({ path: '/api/notifications/preferences', body: { version: (await aim.notificationPreferences()).version, email: { reminder: false } } }),
  'GET /api/processes': async () => ({ path: '/api/processes' }),
  'GET /api/processes/instances': async () => ({ path: '/api/processes/instances?limit=10' }),
  'GET /api/processes/instances/{id}/timeline': async (aim) => ({ path: `/api/processes/instances/${(await aim.instance()).id}/timeline` }),
  'GET /api/processes/instances/{id}': async (aim) => ({ path: `/api/processes/instances/${(await aim.instance()).id}` }),
  'POST /api/processes/instances/{id}/cancel': async (aim) => ({ path: `/api/processes/instances/${(await aim.instance('cancel')).id}/cancel`, body: { reason: 'Plans changed' } }),
  // A running instance is answered as it is (a failed one runs on).
  'POST /api/processes/instances/{id}/retry': async (aim) => ({ path: `/api/processes/instances/${(await aim.instance('retry')).id}/retry`, body: {} }),
  'GET /api/tasks': async () => ({ path: '/api/tasks?view=team&limit=10' }),
  'POST /api/tasks/reassign': async (aim) => ({ path: '/api/tasks/reassign', body: { tasks: [(await aim.task('reassign')).id], to: { team: (await aim.team()).id } } }),
  'GET /api/tasks/{id}': async (aim) => ({ path: `/api/tasks/${(await aim.task('read')).id}` }),
  'POST /api/tasks/{id}/claim': async (aim) => ({ path: `/api/tasks/${(await aim.task('claim')).id}/claim`, body: {} }),
  'POST /api/tasks/{id}/release': async (aim) => ({ path: `/api/tasks/${(await aim.task('release', true)).id}/release`, body: {} }),
  'POST /api/tasks/{id}/complete': async (aim) => ({ path: `/api/tasks/${(await aim.task('complete')).id}/complete`, body: { form: { shippedOn: '2026-12-07' } } }),
  'POST /api/tasks/{id}/reject': async (aim) => ({ path: `/api/tasks/${(await aim.task('reject')).id}/reject`, body: { reason: 'Cannot be done' } }),
  // A deal of the aim's has no company: its sale names its client.
  'POST /api/{plural}/{id}/processes': async (aim, type) => ({
    path: `/api/${type.plural}/${(await aim.record(type)).id}/processes`,
    body: quickSale(type.name === 'deal' ? { client: { type: 'company', id: (await aim.record(company)).id } } : {}),
  }),
  'GET /api/processes/quick-sale/config': async () => ({ path: '/api/processes/quick-sale/config' }),
  'PUT /api/processes/quick-sale/config': async (aim) => {
    // Saved again as it is (its teams stay the task team's, which the task aims need).
    const current = (await (await aim.processConfig()).read()) as { version: number; config: unknown };
    return { path: '/api/processes/quick-sale/config', body: { version: current.version, config: current.config } };
  },
  'PATCH /api/settings': async (aim) => ({ path: '/api/settings', body: { version: (await aim.settings()).version, fields: { defaultCountry: 'DE' } } }),
  'GET /api/calendars/countries': async () => ({ path: '/api/calendars/countries' }),
  'GET /api/calendars/public-holidays': async () => ({ path: '/api/calendars/public-holidays?country=DE&region=BY&year=2026' }),
  'GET /api/calendars/{id}': async (aim) => ({ path: `/api/calendars/${(await aim.calendar()).id}` }),
  'PATCH /api/calendars/{id}': async (aim) => {
    const calendar = await aim.calendar();
    return { path: `/api/calendars/${calendar.id}`, body: { version: calendar.version, fields: { hours: { mon: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } } } };
  },
  'DELETE /api/calendars/{id}': async (aim) => {
    const calendar = await aim.calendar();
    return { path: `/api/calendars/${calendar.id}?version=${calendar.version}` };
  },
  'POST /api/calendars/{id}/holidays': async (aim) => {
    const calendar = await aim.calendar();
    return { path: `/api/calendars/${calendar.id}/holidays?version=${calendar.version}&from=2026&until=2027`, body: icsText([dayOff('20261225', 'Christmas Day')]), headers: { 'content-type': 'text/calendar' } };
  },
  'GET /api/{plural}/export.csv': async (_, type) => ({ path: `/api/${type.plural}/export.csv` }),
  'GET /api/views/{type}/{id}/export.csv': async (aim) => ({ path: `/api/views/company/${(await aim.view()).id}/export.csv` }),
  'POST /api/views/{type}/export.csv': async () => ({ path: '/api/views/company/export.csv', body: { columns: ['name'], search: 'a' } }),
  'GET /api/{plural}/duplicates': async (_, type) => ({ path: `/api/${type.plural}/duplicates` }),
  'GET /api/{plural}/{id}/duplicates': async (aim, type) => ({ path: `/api/${type.plural}/${(await aim.record(type)).id}/duplicates` }),
  'POST /api/{plural}/{id}/merge': async (aim, type) => {
    const [survivor, other] = [await aim.record(type), await aim.other(type)];
    return { path: `/api/${type.plural}/${survivor.id}/merge`, body: { otherId: other.id, version: survivor.version, otherVersion: other.version } };
  },
  'GET /api/{plural}/names': async (aim, type) => ({ path: `/api/${type.plural}/names?ids=${(await aim.record(type)).id}` }),
  'POST /api/{plural}/names': async (aim, type) => ({ path: `/api/${type.plural}/names`, body: { ids: [(await aim.record(type)).id] } }),
  'POST /api/{plural}/ids-by-name': async (aim, type) => ({ path: `/api/${type.plural}/ids-by-name`, body: { names: [(await aim.record(type)).name] } }),
  'GET /api/{plural}': async (_, type) => ({ path: `/api/${type.plural}?limit=10` }),
  'POST /api/{plural}': async (_, type) => ({ path: `/api/${type.plural}`, body: { name: 'A new one', ...(type.name === 'activity' ? { kind: 'call' } : {}) } }),
  'GET /api/{plural}/trash': async (_, type) => ({ path: `/api/${type.plural}/trash?limit=10` }),
  'GET /api/{plural}/{id}': async (aim, type) => ({ path: `/api/${type.plural}/${(await aim.record(type)).id}` }),
  'PATCH /api/{plural}/{id}': async (aim, type) => {
    const record = await aim.record(type);
    return { path: `/api/${type.plural}/${record.id}`, body: { version: record.version, fields: { name: 'Renamed' } } };
  },
  'DELETE /api/{plural}/{id}': async (aim, type) => {
    const record = await aim.record(type);
    return { path: `/api/${type.plural}/${record.id}?version=${record.version}` };
  },
  'POST /api/{plural}/{id}/restore': async (aim, type) => {
    const record = await aim.trashed(type);
    return { path: `/api/${type.plural}/${record.id}/restore?version=${record.version}`, body: {} };
  },
  'PATCH /api/{plural}/{id}/owner': async (aim, type) => {
    const [record, user] = [await aim.record(type), await aim.user()];
    return { path: `/api/${type.plural}/${record.id}/owner`, body: { version: record.version, owner: user.id } };
  },
  'GET /api/{plural}/{id}/history': async (aim, type) => ({ path: `/api/${type.plural}/${(await aim.record(type)).id}/history` }),
};

/** The valid request for `route` aimed at `aim`, and the resources it is aimed at; throws when there is none (a route added without one). */
export async function validRequest(route: Route, aim: Aim): Promise<{ request: RouteRequest; aimedAt: Resource[] }> {
  const { shape, type } = shapeOf(route);
  const build = VALID_REQUESTS[shape];
  if (!build) throw new Error(`test/support/route-requests.ts has no valid request for ${shape}`);
  aim.takeAimedAt();
  const request = { method: route.method, ...(await build(aim, type ?? company)) };
  return { request, aimedAt: aim.takeAimedAt() };
}

const uniqueSuffix = () => ulid().toLowerCase();

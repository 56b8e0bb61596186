/**
 * Bad input gets a 4xx JSON answer that names the problem; nothing a client sends causes a 5xx.
 * Every route of ROUTES has a case of its own below (BAD_INPUT): a route added without one fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import type { RecordTypeSpec } from '../../functions/records/record-types.ts';
import { startTestCloud, ApiClient, type TestCloud } from '../support/cloud.ts';
import { aimAt, send, shapeOf, validRequest, VALID_REQUESTS, type Aim, type RouteRequest } from '../support/route-requests.ts';

let cloud: TestCloud;
let user: ApiClient;
let companyId: string;
let aim: Aim;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('initech');
  companyId = (await user.post('/api/companies', { name: 'Initech' })).json.id;
  aim = aimAt(user, 'initech', 'Initech own');
});
afterAll(() => cloud?.stop());

function apiError(response: { status: number; json: unknown }) {
  return ApiErrorBody.parse(response.json).error;
}

describe('bad input', () => {
  it('malformed JSON is a 400 that says so', async () => {
    for (const body of ['{"name": "x"', 'not json', '', '{"name": "x"}}']) {
      const response = await user.request('POST', '/api/companies', body, { 'content-type': 'application/json' });
      expect(response.status, body).toBe(400);
      expect(apiError(response).code).toBe('MalformedJson');
    }
  });

  it('wrong types and unknown fields are named by their path', async () => {
    const created = await user.post('/api/companies', { name: 42, domain: 'not a domain', extra: true });
    expect(created.status).toBe(400);
    const error = apiError(created);
    expect(error.code).toBe('ValidationFailed');
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['domain', 'extra', 'name']);

    const patched = await user.patch(`/api/companies/${companyId}`, { version: '1', fields: { name: '', color: 'red' } });
    expect(patched.status).toBe(400);
    expect(apiError(patched).issues?.map((i) => i.path).sort()).toEqual(['fields.color', 'fields.name', 'version']);

    const empty = await user.patch(`/api/companies/${companyId}`, { version: 1, fields: {} });
    expect(apiError(empty).issues).toEqual([{ path: 'fields', message: 'must change at least one field' }]);

    for (const body of [[], null, 'a string', 7]) {
      const response = await user.post('/api/companies', JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(apiError(response).code).toBe('ValidationFailed');
    }
  });

  it('query parameters are validated too', async () => {
    const noVersion = await user.delete(`/api/companies/${companyId}`);
    expect(noVersion.status).toBe(400);
    expect(apiError(noVersion).issues?.[0].path).toBe('query.version');
    const badLimit = await user.get('/api/companies?limit=0');
    expect(apiError(badLimit).issues?.[0].path).toBe('query.limit');
    const badCursor = await user.get('/api/companies?cursor=..%2F..');
    expect(apiError(badCursor).issues?.[0].path).toBe('query.cursor');
  });

  it('bodies past the API\'s limit are a 413, and past the gateway\'s limit too', async () => {
    const large = await user.post('/api/companies', { name: 'x'.repeat(300 * 1024) });
    expect(large.status).toBe(413);
    expect(apiError(large).code).toBe('PayloadTooLarge');
    const huge = await user.post('/api/companies', { name: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ message: 'Request Entity Too Large' });
  });

  it('unknown ids, routes and methods are 404 and 405 in JSON', async () => {
    expect(apiError(await user.get('/api/companies/01ARZ3NDEKTSV4RRFFQ69G5FAV')).code).toBe('NotFound');
    expect(apiError(await user.get('/api/companies/not-an-id')).code).toBe('NotFound');
    expect(apiError(await user.get('/api/companies/%E0%A4%A')).code).toBe('RouteNotFound');
    expect(apiError(await user.get('/api/nothing-here')).code).toBe('RouteNotFound');
    const put = await user.request('PUT', `/api/companies/${companyId}`, { name: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    expect(apiError(put).code).toBe('MethodNotAllowed');
  });

  it('a signed-in user without a tenant is refused with 403', async () => {
    await cloud.identity.createUser({ email: 'nobody@example.com', password: 'long enough password', tenant: '' });
    const { signIn } = await import('../support/cloud.ts');
    const tokens = await signIn(cloud.url, cloud.clientId, 'nobody@example.com', 'long enough password');
    const response = await new ApiClient(cloud.url, tokens.IdToken).get('/api/companies');
    expect(response.status).toBe(403);
    expect(apiError(response).code).toBe('NoTenant');
  });
});

/** What a route must answer to its bad input: the status and code, and for a 400 the paths its issues name. */
interface Refusal {
  status: 400 | 404;
  code: 'ValidationFailed' | 'NotFound' | 'MalformedJson';
  paths?: string[];
}
type BadInput = (aim: Aim, type: RecordTypeSpec, valid: RouteRequest) => Promise<RouteRequest>;
/** A route that reads nothing of the request but the caller: a query or a body it is sent is ignored. */
const TAKES_NO_INPUT = 'takes no input';

const bodyOf = (valid: RouteRequest) => valid.body as Record<string, unknown>;
const notFound: Refusal = { status: 404, code: 'NotFound' };
const invalid = (...paths: string[]): Refusal => ({ status: 400, code: 'ValidationFailed', paths });
/** The valid request with `part` of its path (a path parameter) replaced. */
const withSegment = (valid: RouteRequest, part: string, by: string): RouteRequest => ({ ...valid, path: valid.path.replace(part, by) });
/** The valid request with its query replaced. */
const withQuery = (valid: RouteRequest, query: string): RouteRequest => ({ ...valid, path: `${valid.path.split('?')[0]}${query}` });
const NOT_AN_ID = 'not-an-id';
/** A field key longer than a table's sort key may be (1,024 bytes). */
const LONG_KEY = `cf_${'x'.repeat(1100)}`;

/** Per route shape (test/support/route-requests.ts#shapeOf), its bad inputs and the refusal each gets. */
const BAD_INPUT: Record<string, Array<[BadInput, Refusal]> | typeof TAKES_NO_INPUT> = {
  'GET /api/me': TAKES_NO_INPUT,
  'GET /api/users': TAKES_NO_INPUT,
  'POST /api/users': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), email: 'not an e-mail' } }), invalid('email')]],
  'PATCH /api/users/{sub}': [[async (_, __, valid) => ({ ...valid, body: { version: 0, fields: { active: 'yes' } } }), invalid('fields.active', 'version')]],
  'POST /api/users/{sub}/reset-password': [[async (a, __, valid) => withSegment(valid, (await a.user()).id, 'no%20such%20user'), notFound]],
  'POST /api/users/{sub}/resend-invitation': [[async (a, __, valid) => withSegment(valid, (await a.user()).id, 'no%20such%20user'), notFound]],
  'GET /api/settings': TAKES_NO_INPUT,
  'GET /api/notifications': [[async (_, __, valid) => withQuery(valid, '?limit=0&cursor=x'), invalid('query.cursor', 'query.limit')]],
  'POST /api/notifications/read': [
    [async (_, __, valid) => ({ ...valid, body: { ids: ['x'], colour: 'red' } }), invalid('colour', 'ids.0')],
    [async (_, __, valid) => ({ ...valid, body: { all: false } }), invalid('all')],
    [async (_, __, valid) => ({ ...valid, body: {} }), invalid('ids')],
  ],
  'GET /api/notifications/preferences': TAKES_NO_INPUT,
  'PUT /api/notifications/preferences': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), email: { birthday: true, reminder: 'no' } } }), invalid('email.birthday', 'email.reminder')]],
  'PATCH /api/settings': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: { defaultCountry: 'Germany' } } }), invalid('fields.defaultCountry')]],
  'GET /api/calendars/countries': TAKES_NO_INPUT,
  'GET /api/calendars/public-holidays': [
    [async (_, __, valid) => withQuery(valid, '?country=Germany&year=20260'), invalid('query.country', 'query.year')],
    [async (_, __, valid) => withQuery(valid, '?country=XX&year=2026'), invalid('query.country')],
    [async (_, __, valid) => withQuery(valid, '?country=DE&region=ZZ&year=2026'), invalid('query.region')],
  ],
  'GET /api/calendars/{id}': [[async (a, __, valid) => withSegment(valid, (await a.calendar()).id, NOT_AN_ID), notFound]],
  'PATCH /api/calendars/{id}': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: { timeZone: 'Mars/Olympus', holidays: [{ date: '2026-13-01', name: 'Never' }], hours: { mon: [{ from: '9:00', to: '17:00' }] } } } }), invalid('fields.holidays.0.date', 'fields.hours.fri', 'fields.hours.mon.0.from', 'fields.hours.sat', 'fields.hours.sun', 'fields.hours.thu', 'fields.hours.tue', 'fields.hours.wed', 'fields.timeZone')],
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: { publicHolidays: { country: 'XX' } } } }), invalid('fields.publicHolidays.country')],
    [async (a, __, valid) => withSegment(valid, (await a.calendar()).id, NOT_AN_ID), notFound],
  ],
  'DELETE /api/calendars/{id}': [[async (_, __, valid) => withQuery(valid, ''), invalid('query.version')]],
  'POST /api/calendars/{id}/holidays': [
    [async (_, __, valid) => ({ ...valid, body: 'Name,Date\nChristmas,2026-12-25\n' }), invalid('body')],
    [async (_, __, valid) => withQuery(valid, '?version=1&from=2030&until=2026'), invalid('query.until')],
  ],
  'GET /api/teams': TAKES_NO_INPUT,
  'POST /api/teams': [[async (_, __, valid) => ({ ...valid, body: { name: ' ' } }), invalid('name')]],
  'PATCH /api/teams/{id}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: { supervisor: 42 } } }), invalid('fields.supervisor')]],
  'DELETE /api/teams/{id}': [[async (_, __, valid) => withQuery(valid, ''), invalid('query.version')]],
  'GET /api/roles': TAKES_NO_INPUT,
  'POST /api/roles': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), types: { planet: { actions: ['read'], scope: 'all' } } } }), invalid('types.planet')]],
  'PATCH /api/roles/{id}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: { types: { company: { actions: ['fly'], scope: 'all' } } } } }), invalid('fields.types.company.actions.0')]],
  'DELETE /api/roles/{id}': [[async (_, __, valid) => withQuery(valid, '?version=one'), invalid('query.version')]],
  'GET /api/audit': [[async (_, __, valid) => withQuery(valid, '?limit=0'), invalid('query.limit')]],
  'GET /api/tenant': TAKES_NO_INPUT,
  'PATCH /api/tenant': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), name: ' ' } }), invalid('name')],
    [async (_, __, valid) => ({ ...valid, body: { version: -1, name: 42, city: 'Berlin' } }), invalid('city', 'name', 'version')],
  ],
  'GET /api/changes': [[async (_, __, valid) => withQuery(valid, '?after=&limit=many'), invalid('query.after', 'query.limit')]],
  'POST /api/bulk': [[async (_, __, valid) => ({ ...valid, body: { changes: [{ type: 'company', id: NOT_AN_ID, version: 1, field: 'name', value: 'x' }] } }), invalid('changes.0.id')]],
  'POST /api/trash': [[async (_, __, valid) => ({ ...valid, body: { items: [{ type: 'company', id: companyId, version: 0 }] } }), invalid('items.0.version')]],
  'POST /api/trash/restore': [[async (_, __, valid) => ({ ...valid, body: { items: [], idempotencyKey: 'short' } }), invalid('idempotencyKey', 'items')]],
  'GET /api/search': [[async (_, __, valid) => withQuery(valid, '?q=%20'), invalid('query.q')]],
  'GET /api/fields/{type}': [[async (_, __, valid) => withQuery(valid, '?deleted=maybe'), invalid('query.deleted')]],
  'POST /api/fields/{type}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), type: 'single_select' } }), invalid('options')]],
  'PATCH /api/fields/{type}/{key}': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), options: [] } }), invalid('options')],
    [async (a, __, valid) => withSegment(valid, (await a.field()).id, LONG_KEY), notFound],
  ],
  'DELETE /api/fields/{type}/{key}': [
    [async (_, __, valid) => withQuery(valid, '?version=0'), invalid('query.version')],
    [async (a, __, valid) => withSegment(valid, (await a.field()).id, LONG_KEY), notFound],
  ],
  'POST /api/fields/{type}/{key}/restore': [
    [async (_, __, valid) => withSegment(valid, '/company/', '/planet/'), notFound],
    [async (a, __, valid) => withSegment(valid, (await a.deletedField()).id, LONG_KEY), notFound],
  ],
  'GET /api/views/{type}': [[async (_, __, valid) => withSegment(valid, '/company', '/planet'), notFound]],
  'POST /api/views/{type}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), columns: [] } }), invalid('columns')]],
  'POST /api/views/{type}/rows': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), ids: [NOT_AN_ID] } }), invalid('ids.0')]],
  'PATCH /api/views/{type}/{id}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: { sort: [{ field: 'name', direction: 'up' }] } } }), invalid('fields.sort.0.direction')]],
  'DELETE /api/views/{type}/{id}': [[async (_, __, valid) => withQuery(valid, '?version=-1'), invalid('query.version')]],
  'GET /api/views/{type}/{id}/rows': [[async (_, __, valid) => withQuery(valid, '?offset=-1'), invalid('query.offset')]],
  'POST /api/leads/{id}/convert': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), deal: { amount: 5 } } }), invalid('deal.amount')]],
  'POST /api/imports/uploads': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fileName: '' } }), invalid('fileName')]],
  'POST /api/imports': [
    [async (_, __, valid) => withQuery(valid, '?type=companies&mapping=%7Bnot%20json'), invalid('query.mapping')],
    [async (_, __, valid) => withQuery(valid, '?type=companies&mode=replace&country=XX&locale=zz&createMissing=yes'), invalid('query.country', 'query.createMissing', 'query.locale', 'query.mode')],
    // A stage history: no settings, and its columns named.
    [async (_, __, valid) => withQuery(valid, '?type=stage-moves&dryRun=true'), invalid('query.dryRun')],
    [async (_, __, valid) => ({ ...withQuery(valid, '?type=stage-moves'), body: 'deal,stage,at\nX,won,2026-01-01\n' }), invalid('header', 'header.1')],
  ],
  'GET /api/pipelines': TAKES_NO_INPUT,
  'GET /api/analytics/{report}': [
    [async (_, __, valid) => withSegment(valid, '/funnel', '/pipeline'), notFound],
    [async (_, __, valid) => withQuery(valid, '?pipeline=default&from=2026-13-01&to=yesterday&conversion=both'), invalid('query.conversion', 'query.from', 'query.to')],
    [async (_, __, valid) => withQuery(valid, '?pipeline=nowhere'), invalid('query.pipeline')],
    [async (_, __, valid) => withQuery(valid, '?pipeline=default&from=2026-03-01&to=2026-02-01'), invalid('query.from')],
  ],
  'GET /api/analytics/{report}/drill': [
    [async (_, __, valid) => withQuery(valid, '?pipeline=default'), invalid('query.cell')],
    [async (_, __, valid) => withQuery(valid, '?pipeline=default&cell=entered%3Anowhere'), invalid('query.cell')],
  ],
  'GET /api/deals/{id}/stage-moves': [
    [async (_, __, valid) => withQuery(valid, '?limit=0&after=x'), invalid('query.after', 'query.limit')],
    [async (a, type, valid) => withSegment(valid, (await a.record(type)).id, NOT_AN_ID), notFound],
  ],
  'POST /api/pipelines': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), stages: [], lossReasons: [{ key: 'Bad' }] } }), invalid('lossReasons.0.key', 'lossReasons.0.label', 'stages')],
    // What the server knows: processes that start on deals, fields of a deal.
    [
      async (_, __, valid) => {
        const body = bodyOf(valid) as { stages: Array<Record<string, unknown>> };
        return { ...valid, body: { ...body, stages: [{ ...body.stages[0], requiredFields: ['amount', 'noSuchField'], onEnter: { process: 'no-such-process' } }, ...body.stages.slice(1)] } };
      },
      invalid('stages.0.onEnter.process', 'stages.0.requiredFields.1'),
    ],
  ],
  'PUT /api/pipelines/{key}': [
    [async (a, __, valid) => withSegment(valid, (await a.pipeline()).id, 'no_such_pipeline'), notFound],
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), pipeline: { ...(bodyOf(valid).pipeline as object), key: 'another_key' } } }), invalid('pipeline.key')],
    [async (_, __, valid) => ({ ...valid, body: { version: -1, pipeline: { ...(bodyOf(valid).pipeline as object), colour: 'red' } } }), invalid('pipeline.colour', 'version')],
  ],
  'DELETE /api/pipelines/{key}': [
    [async (_, __, valid) => withQuery(valid, '?version=x'), invalid('query.version')],
    [async (a, __, valid) => withSegment(valid, (await a.pipeline('delete')).id, 'no_such_pipeline'), notFound],
  ],
  'POST /api/pipelines/{key}/stages/{stage}/merge': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), into: 'no_such_stage' } }), invalid('into')],
    [async (_, __, valid) => withSegment(valid, '/open_2/', '/no_such_stage/'), notFound],
    // A merge that leaves no lost stage.
    [async (_, __, valid) => ({ ...withSegment(valid, '/open_2/', '/lost/'), body: { ...bodyOf(valid), into: 'open_1' } }), invalid('stage')],
  ],
  'GET /api/imports/mappings/{type}': [[async (_, __, valid) => withSegment(valid, '/company', '/planet'), notFound]],
  'GET /api/imports/{id}/errors.csv': [
    [async (a, __, valid) => withSegment(valid, (await a.importJob()).id, NOT_AN_ID), notFound],
    [async (a, __, valid) => withSegment(valid, (await a.importJob()).id, 'x'.repeat(3000)), notFound],
  ],
  'GET /api/imports/{id}': [
    [async (a, __, valid) => withSegment(valid, (await a.importJob()).id, NOT_AN_ID), notFound],
    // Longer than a table key may be: no job has such an id (it was a 500).
    [async (a, __, valid) => withSegment(valid, (await a.importJob()).id, 'x'.repeat(3000)), notFound],
  ],
  'GET /api/processes/quick-sale/config': TAKES_NO_INPUT,
  'PUT /api/processes/quick-sale/config': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), config: { ...(bodyOf(valid).config as object), fulfilment: [], reminderShare: 1.5 } } }), invalid('config.fulfilment', 'config.reminderShare')],
    // A team of no tenant's: named by its place.
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), config: { ...(bodyOf(valid).config as object), qc: { team: '01JZZZZZZZZZZZZZZZZZZZZZZZ', delay: 1, threshold: 3, due: { amount: 1, unit: 'days' } } } } }), invalid('config.qc.team')],
  ],
  'GET /api/processes/instances': [
    [async (_, __, valid) => withQuery(valid, '?status=done&limit=0'), invalid('query.limit', 'query.status')],
    [async (_, __, valid) => withQuery(valid, '?step=Fulfil&overdue=true'), invalid('query.process')],
  ],
  'GET /api/processes': TAKES_NO_INPUT,
  'GET /api/processes/instances/{id}/timeline': [
    [async (a, __, valid) => withSegment(valid, (await a.instance()).id, NOT_AN_ID), notFound],
    [async (_, __, valid) => withQuery(valid, '?limit=0&cursor=not%20a%20cursor'), invalid('query.cursor', 'query.limit')],
  ],
  'GET /api/processes/instances/{id}': [
    [async (a, __, valid) => withSegment(valid, (await a.instance()).id, NOT_AN_ID), notFound],
    [async (a, __, valid) => withSegment(valid, (await a.instance()).id, 'x'.repeat(3000)), notFound],
  ],
  'POST /api/{plural}/{id}/processes': [
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), input: { ...(bodyOf(valid).input as object), lines: [], colour: 'red' } } }), invalid('input.colour', 'input.lines')],
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), process: 'no-such-process' } }), invalid('process')],
  ],
  'POST /api/processes/instances/{id}/cancel': [
    [async (a, __, valid) => withSegment(valid, (await a.instance('cancel')).id, NOT_AN_ID), notFound],
    [async (_, __, valid) => ({ ...valid, body: { reason: ' ', why: 'x' } }), invalid('reason', 'why')],
  ],
  'POST /api/processes/instances/{id}/retry': [[async (a, __, valid) => withSegment(valid, (await a.instance('retry')).id, NOT_AN_ID), notFound]],
  'POST /api/tasks/reassign': [
    [async (_, __, valid) => ({ ...valid, body: { tasks: ['x'], to: { team: 'T' }, colour: 'red' } }), invalid('colour', 'tasks.0')],
    [async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), to: { user: 'nobody' } } }), invalid('to.user')],
  ],
  'GET /api/tasks': [[async (_, __, valid) => withQuery(valid, '?view=all&cursor=x'), invalid('query.cursor', 'query.view')]],
  'GET /api/tasks/{id}': [
    [async (a, __, valid) => withSegment(valid, (await a.task('read')).id, NOT_AN_ID), notFound],
    [async (a, __, valid) => withSegment(valid, (await a.task('read')).id, 'x'.repeat(3000)), notFound],
  ],
  'POST /api/tasks/{id}/claim': [[async (a, __, valid) => withSegment(valid, (await a.task('claim')).id, NOT_AN_ID), notFound]],
  'POST /api/tasks/{id}/release': [[async (a, __, valid) => withSegment(valid, (await a.task('release', true)).id, NOT_AN_ID), notFound]],
  'POST /api/tasks/{id}/complete': [
    [async (_, __, valid) => ({ ...valid, body: { form: { shippedOn: 'soon', colour: 'red' } } }), invalid('form.colour', 'form.shippedOn')],
    [async (_, __, valid) => ({ ...valid, body: { values: {} } }), invalid('form', 'values')],
  ],
  'POST /api/tasks/{id}/reject': [[async (_, __, valid) => ({ ...valid, body: { reason: '' } }), invalid('reason')]],
  'GET /api/{plural}/export.csv': TAKES_NO_INPUT,
  'GET /api/views/{type}/{id}/export.csv': [[async (a, __, valid) => withSegment(valid, (await a.view()).id, NOT_AN_ID), notFound]],
  'POST /api/views/{type}/export.csv': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), search: 7 } }), invalid('search')]],
  'GET /api/{plural}/duplicates': TAKES_NO_INPUT,
  'GET /api/{plural}/{id}/duplicates': [[async (a, type, valid) => withSegment(valid, (await a.record(type)).id, NOT_AN_ID), notFound]],
  'POST /api/{plural}/{id}/merge': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), otherId: NOT_AN_ID } }), invalid('otherId')]],
  'GET /api/{plural}/names': [[async (_, __, valid) => withQuery(valid, `?ids=${NOT_AN_ID}`), invalid('query.ids.0')]],
  'POST /api/{plural}/names': [[async (_, __, valid) => ({ ...valid, body: { ids: NOT_AN_ID } }), invalid('ids')]],
  'POST /api/{plural}/ids-by-name': [[async (_, __, valid) => ({ ...valid, body: { names: [' '] } }), invalid('names.0')]],
  'GET /api/{plural}': [[async (_, __, valid) => withQuery(valid, '?limit=1001'), invalid('query.limit')]],
  'POST /api/{plural}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), name: '' } }), invalid('name')]],
  'GET /api/{plural}/trash': [[async (_, __, valid) => withQuery(valid, '?cursor=..%2F..'), invalid('query.cursor')]],
  'GET /api/{plural}/{id}': [[async (a, type, valid) => withSegment(valid, (await a.record(type)).id, NOT_AN_ID), notFound]],
  'PATCH /api/{plural}/{id}': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), fields: {} } }), invalid('fields')]],
  'DELETE /api/{plural}/{id}': [[async (_, __, valid) => withQuery(valid, ''), invalid('query.version')]],
  'POST /api/{plural}/{id}/restore': [[async (_, __, valid) => withQuery(valid, '?version=two'), invalid('query.version')]],
  'PATCH /api/{plural}/{id}/owner': [[async (_, __, valid) => ({ ...valid, body: { ...bodyOf(valid), owner: '' } }), invalid('owner')]],
  'GET /api/{plural}/{id}/history': [[async (a, type, valid) => withSegment(valid, (await a.record(type)).id, NOT_AN_ID), notFound]],
};

describe('every route', () => {
  it('the tables name only routes that exist', () => {
    const shapes = new Set(ROUTES.map((route) => shapeOf(route).shape));
    expect(Object.keys(BAD_INPUT).filter((shape) => !shapes.has(shape))).toEqual([]);
    expect(Object.keys(VALID_REQUESTS).filter((shape) => !shapes.has(shape))).toEqual([]);
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s refuses bad input of its own with a 4xx naming it', async (_, route) => {
    const { shape, type } = shapeOf(route);
    const bad = BAD_INPUT[shape];
    expect(bad, `BAD_INPUT has no case for ${shape}`).toBeDefined();
    const { request: valid, aimedAt } = await validRequest(route, aim);
    const before = await Promise.all(aimedAt.map((resource) => resource.read()));
    if (bad === TAKES_NO_INPUT) {
      // Nothing to refuse: what it is sent besides changes nothing of the answer.
      const plain = await send(user, valid);
      const padded = await send(user, { ...valid, path: `${valid.path}?limit=0&cursor=x`, body: route.method === 'GET' ? undefined : { junk: true } });
      expect(plain.status, plain.text).toBe(200);
      expect(padded.status, padded.text).toBe(200);
      return;
    }
    for (const [breakIt, refusal] of bad) {
      const response = await send(user, await breakIt(aim, type!, valid));
      expect(response.status, response.text).toBe(refusal.status);
      const error = ApiErrorBody.parse(response.json).error;
      expect(error.code).toBe(refusal.code);
      expect(error.message).not.toBe('');
      if (refusal.paths) expect(error.issues?.map((issue) => issue.path).sort()).toEqual(refusal.paths);
    }
    // Refused, so nothing it was aimed at changed.
    expect(await Promise.all(aimedAt.map((resource) => resource.read()))).toEqual(before);
  });
});

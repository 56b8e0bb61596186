/**
 * Property: whatever method, path, query and body a signed-in client sends to any route, the
 * answer is never a 5xx and always a JSON body (an ApiErrorBody when it is an error).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUTES } from '../../functions/api/routes.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let existingId: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('fuzz');
  existingId = (await user.post('/api/companies', { name: 'Target' })).json.id;
});
afterAll(() => cloud?.stop());

/** encodeURIComponent throws on lone surrogates; those are sent as percent-encoded garbage instead. */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const param = fc.oneof(
  { arbitrary: fc.constant(() => existingId), weight: 3 },
  { arbitrary: fc.constant(() => '01ARZ3NDEKTSV4RRFFQ69G5FAV'), weight: 1 },
  { arbitrary: text.map((s) => () => s), weight: 2 },
);
const anyMethod = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS');
/** Mostly the route's own method with its parameters filled in, so that requests reach the domain. */
const routeRequest = fc.constantFrom(...ROUTES).chain((route) =>
  fc.record({
    method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 4 }, { arbitrary: anyMethod, weight: 1 }),
    path: fc.array(param, { minLength: 3, maxLength: 3 }).map((values) => () => {
      let i = 0;
      return route.path.replace(/\{\w+\}/g, () => encode(values[i++]()));
    }),
  }),
);
const randomRequest = fc.record({
  method: anyMethod,
  path: fc.array(fc.oneof(fc.webSegment(), text.map(encode)), { minLength: 1, maxLength: 4 }).map((segments) => () => `/api/${segments.join('/')}`),
});
const query = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom('limit', 'cursor', 'version', 'after'), fc.string()), fc.oneof(fc.string(), fc.integer().map(String)), { maxKeys: 3 }),
  fc.record({ version: fc.integer({ min: 0, max: 3 }).map(String) }),
  fc.constant({}),
);
const fieldValue = fc.oneof(fc.jsonValue(), text, fc.constantFrom('Acme', 'acme.example', null));
/** Field names a record may or may not have, including ones that are properties of every object. */
const fieldName = fc.oneof(fc.constantFrom('name', 'industry', 'lines', 'amount', 'companyIds', 'emails', 'cf_x', '__proto__', 'constructor', 'id', 'version'), fc.string());
const bulkBody = fc.record(
  {
    idempotencyKey: fc.oneof(fc.string(), fc.constant('retry-key-1')),
    changes: fc.array(
      fc.record(
        {
          type: fc.oneof(fc.constantFrom('company', 'contact', 'deal', 'lead', 'planet'), fc.string()),
          id: param.map((f) => f()),
          version: fc.oneof(fc.integer({ min: 0, max: 3 }), fieldValue),
          field: fieldName,
          value: fieldValue,
        },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    ),
  },
  { requiredKeys: [] },
);
const fieldBody = fc.record(
  {
    label: text,
    type: fc.oneof(fc.constantFrom('text', 'money', 'single_select', 'multi_select', 'relation', 'phone', 'nope'), fc.string()),
    options: fc.oneof(fc.array(fc.string()), fieldValue),
    target: fc.oneof(fc.constantFrom('company', 'planet'), fieldValue),
    currency: fc.oneof(fc.constantFrom('EUR', 'XXX'), fieldValue),
    version: fc.oneof(fc.integer({ min: 0, max: 3 }), fieldValue),
  },
  { requiredKeys: [] },
);
const viewBody = fc.record(
  {
    name: fieldValue,
    columns: fc.oneof(fc.array(fieldName), fieldValue),
    filters: fc.array(fc.record({ field: fieldName, op: fc.oneof(fc.constantFrom('eq', 'in', 'gt', 'empty', 'contains'), fc.string()), value: fieldValue }, { requiredKeys: [] }), { maxLength: 3 }),
    sort: fc.array(fc.record({ field: fieldName, direction: fc.constantFrom('asc', 'desc', 'up') }, { requiredKeys: [] }), { maxLength: 2 }),
    groupBy: fieldName,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  bulkBody.map((v) => JSON.stringify(v)),
  fieldBody.map((v) => JSON.stringify(v)),
  viewBody.map((v) => JSON.stringify(v)),
  text,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ name: fieldValue, domain: fieldValue, industry: fieldValue }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        version: fc.oneof(fc.integer({ min: 0, max: 3 }), fieldValue),
        fields: fc.dictionary(fc.constantFrom('name', 'domain', 'industry', 'id', 'version', 'owner'), fieldValue),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);

it('never answers 5xx, and always in JSON', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof({ arbitrary: routeRequest, weight: 3 }, { arbitrary: randomRequest, weight: 1 }), query, body, async ({ method, path }, query, body) => {
      const search = new URLSearchParams(query).toString();
      const response = await user.request(method, `${path()}${search ? `?${search}` : ''}`, method === 'GET' ? undefined : body, {
        'content-type': 'application/json',
      });
      expect(response.status).toBeLessThan(500);
      if (response.status === 204) return;
      // A CSV download (GET /api/{plural}/export.csv) is the one success that is not JSON.
      if (response.status === 200 && response.headers.get('content-type')?.startsWith('text/csv')) return;
      expect(response.json, response.text).toBeDefined();
      if (response.status >= 400) {
        const isApiError = ApiErrorBody.safeParse(response.json).success;
        const isGatewayError = typeof response.json?.message === 'string';
        expect(isApiError || isGatewayError, response.text).toBe(true);
      }
    }),
    { numRuns: 400 },
  );
});

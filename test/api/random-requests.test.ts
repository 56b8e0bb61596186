/**
 * Property: whatever method, path, query and body a signed-in client sends to any route, the
 * answer is never a 5xx and always a JSON body (an ApiErrorBody when it is an error).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUTES } from '../../functions/api/routes.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, type ApiClient, type TestCloud } from './cloud.ts';

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
const param = fc.oneof(fc.constant(() => existingId), fc.constant(() => '01ARZ3NDEKTSV4RRFFQ69G5FAV'), text.map((s) => () => s));
const routePath = fc.constantFrom(...ROUTES).chain((route) =>
  fc.array(param, { minLength: 3, maxLength: 3 }).map((values) => () => {
    let i = 0;
    return route.path.replace(/\{\w+\}/g, () => encode(values[i++]()));
  }),
);
const randomPath = fc.array(fc.oneof(fc.webSegment(), text.map(encode)), { minLength: 1, maxLength: 4 }).map((segments) => () => `/api/${segments.join('/')}`);
const query = fc.dictionary(fc.oneof(fc.constantFrom('limit', 'cursor', 'version', 'after'), fc.string()), fc.oneof(fc.string(), fc.integer().map(String)), { maxKeys: 3 });
const fieldValue = fc.oneof(fc.jsonValue(), text);
const body = fc.oneof(
  fc.constant(undefined),
  text,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ name: fieldValue, domain: fieldValue, industry: fieldValue }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc
    .record({ version: fc.oneof(fc.integer(), fc.constant(1), fieldValue), fields: fc.dictionary(fc.constantFrom('name', 'domain', 'industry', 'id', 'version', 'owner'), fieldValue) }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
);
const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS');

it('never answers 5xx, and always in JSON', async () => {
  await fc.assert(
    fc.asyncProperty(method, fc.oneof(routePath, randomPath), query, body, async (method, path, query, body) => {
      const search = new URLSearchParams(query).toString();
      const response = await user.request(method, `${path()}${search ? `?${search}` : ''}`, method === 'GET' ? undefined : body, {
        'content-type': 'application/json',
      });
      expect(response.status).toBeLessThan(500);
      if (response.status === 204) return;
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

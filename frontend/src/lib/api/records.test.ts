import { describe, expect, it } from 'vitest';
import { Contact, contactType } from '$contracts/contact.ts';
import { createApiClient } from './api-client.ts';
import { recordsApi, viewsApi } from './records.ts';
import { jsonResponse, scriptedFetch } from './scripted-fetch.ts';

const meta = { version: 1, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u', owner: 'u' };
const contact = (id: string, name: string) => ({ id, name, ...meta });
const A = '01ARZ3NDEKTSV4RRFFQ69G5FAA';
const B = '01ARZ3NDEKTSV4RRFFQ69G5FAB';

function client(...answers: Response[]) {
  const { fetch, calls } = scriptedFetch(...answers);
  return { api: createApiClient({ baseUrl: 'https://app.example', token: async () => 't', fetch }), calls };
}

describe('recordsApi', () => {
  it('lists every record of the type page after page, parsed by the type\'s contract', async () => {
    const { api, calls } = client(
      jsonResponse(200, { items: [contact(A, 'Ada')], nextCursor: A }),
      jsonResponse(200, { items: [{ ...contact(B, 'Bob'), cf_tier: 'gold' }] }),
    );
    const all = await recordsApi(api, contactType, Contact).listAll();
    expect(all.map((c) => c.name)).toEqual(['Ada', 'Bob']);
    expect(all[1].cf_tier).toBe('gold');
    expect(calls.map((c) => c.url)).toEqual(['https://app.example/api/contacts?limit=1000', `https://app.example/api/contacts?limit=1000&cursor=${A}`]);
  });

  it('sends a change with the version seen, and trashes with it in the query', async () => {
    const { api, calls } = client(jsonResponse(200, { ...contact(A, 'Ada L'), version: 2 }), new Response(null, { status: 204 }));
    const contacts = recordsApi(api, contactType, Contact);
    expect((await contacts.update(A, 1, { name: 'Ada L' })).version).toBe(2);
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ version: 1, fields: { name: 'Ada L' } });
    await contacts.trash(A, 2);
    expect([calls[1].init.method, calls[1].url]).toEqual(['DELETE', `https://app.example/api/contacts/${A}?version=2`]);
  });

  it('reads a view\'s rows', async () => {
    const { api, calls } = client(jsonResponse(200, { columns: ['name'], rows: [[A, 1, 'Ada']], total: 2, offset: 1 }));
    expect((await viewsApi(api, 'contact').rows(B, 1)).rows).toEqual([[A, 1, 'Ada']]);
    expect(calls[0].url).toBe(`https://app.example/api/views/contact/${B}/rows?offset=1`);
  });

  it('refuses a slice of rows whose rows are not [id, version, ...values]', async () => {
    for (const rows of [[[A, '1', 'Ada']], [[1, 1, 'Ada']], [{ id: A }], 'rows']) {
      const { api } = client(jsonResponse(200, { columns: ['name'], rows, total: 1, offset: 0 }));
      await expect(viewsApi(api, 'contact').unsavedRows({ columns: ['name'] })).rejects.toMatchObject({ code: 'UnexpectedResponse' });
    }
  });

  it('reads the rows of some records of a view', async () => {
    const answer = { columns: ['name'], rows: [[A, 2, 'Ada']], positions: [7], total: 9, removed: [B] };
    const { api, calls } = client(jsonResponse(200, answer), jsonResponse(200, answer));
    expect(await viewsApi(api, 'contact').rowsOfIds(B, [A, B])).toEqual(answer);
    expect(calls[0].url).toBe(`https://app.example/api/views/contact/${B}/rows?ids=${A},${B}`);
    await viewsApi(api, 'contact').unsavedRowsOfIds({ columns: ['name'] }, [A]);
    expect([calls[1].init.method, calls[1].url, JSON.parse(String(calls[1].init.body))]).toEqual(['POST', 'https://app.example/api/views/contact/rows', { columns: ['name'], ids: [A] }]);
  });
});

/**
 * A relation names records the caller may see (issue 12, item 9): linking to a record outside
 * the caller's scope is refused exactly as linking to one that does not exist, so an answer
 * cannot tell whether an id exists. Ids a record holds already are kept as they are, whoever may
 * see them: a rep edits a contact an administrator linked to a company the rep cannot see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type ApiResponse, type TestCloud } from '../support/cloud.ts';
import { OWN_EVERYTHING, ownedBy, person, withCustomRole, type Person } from '../support/people.ts';

const TENANT = 'links-scope';
const UNKNOWN = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
let cloud: TestCloud;
let admin: ApiClient;
let rep: Person;
let owen: Person;
let hidden: { id: string; version: number };
let hiddenContact: { id: string; version: number };

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  rep = await person(cloud, TENANT, 'sales-representative');
  owen = await withCustomRole(cloud, TENANT, admin, OWN_EVERYTHING);
  hidden = (await admin.post('/api/companies', { name: 'Hidden Holdings' })).json;
  hiddenContact = (await admin.post('/api/contacts', { name: 'Hidden Person' })).json;
});
afterAll(() => cloud?.stop());

/** The answer with the ids named replaced, and the request id left out: what a caller can compare. */
function shape(response: ApiResponse, ...ids: string[]): unknown {
  let text = response.text;
  for (const id of ids) text = text.split(id).join('<id>');
  const json = JSON.parse(text);
  if (json.error) delete json.error.requestId;
  return { status: response.status, json };
}

/** The same request with the hidden id and with an unknown one: both refused, alike. */
async function refusedAlike(send: (id: string) => Promise<ApiResponse>, status = 400, hiddenId = hidden.id) {
  const [withHidden, withUnknown] = [await send(hiddenId), await send(UNKNOWN)];
  expect(withHidden.status, withHidden.text).toBe(status);
  expect(shape(withHidden, hiddenId)).toEqual(shape(withUnknown, UNKNOWN));
  return withHidden;
}

describe('a relation to a record outside the caller\'s scope', () => {
  it('is refused on create as a relation to nothing, naming the field', async () => {
    const refused = await refusedAlike((id) => rep.client.post('/api/contacts', { name: 'Linked', companyIds: [id] }));
    expect(refused.json.error.issues).toEqual([{ path: 'companyIds.0', message: `no company ${hidden.id} exists in this tenant`, value: hidden.id }]);
    await refusedAlike((id) => rep.client.post('/api/deals', { name: 'Linked deal', companyId: id }));
  });

  it('is refused on PATCH when added; one the record holds already stays', async () => {
    const contact = await ownedBy(admin, 'contacts', { name: 'Held link', companyIds: [hidden.id] }, rep.sub);
    const mine = (await rep.client.post('/api/companies', { name: 'Rep Co' })).json;
    const renamed = await rep.client.patch(`/api/contacts/${contact.id}`, { version: contact.version, fields: { name: 'Held link, renamed' } });
    expect(renamed.status, renamed.text).toBe(200);
    const added = await rep.client.patch(`/api/contacts/${contact.id}`, { version: renamed.json.version, fields: { companyIds: [hidden.id, mine.id] } });
    expect(added.status, added.text).toBe(200);
    const other = (await admin.post('/api/companies', { name: 'Other Hidden' })).json;
    const refused = await rep.client.patch(`/api/contacts/${contact.id}`, { version: added.json.version, fields: { companyIds: [hidden.id, mine.id, other.id] } });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.error.issues).toEqual([{ path: 'fields.companyIds.2', message: `no company ${other.id} exists in this tenant`, value: other.id }]);
  });

  it('is refused per cell in bulk, as an unknown id is', async () => {
    const contact = (await rep.client.post('/api/contacts', { name: 'Bulk linked' })).json;
    const cell = (id: string) => rep.client.post('/api/bulk', { changes: [{ type: 'contact', id: contact.id, version: contact.version, field: 'companyIds', value: [id] }] });
    const answer = await refusedAlike(cell, 200);
    expect(answer.json.results[0]).toMatchObject({ status: 'invalid' });
  });

  it('is a link left out of an import\'s row, as an unknown id is', async () => {
    const csv = `Name,Company Ids\r\nImported One,${hidden.id}\r\nImported Two,${UNKNOWN}\r\n`;
    const response = await owen.client.request('POST', '/api/imports?type=contacts&dryRun=true', csv, { 'content-type': 'text/csv' });
    expect(response.status, response.text).toBe(200);
    // A bad cell does not refuse its row: the row is imported without the link, and says why.
    expect(response.json).toMatchObject({ ok: 2, partial: 2, bad: 0 });
    const [one, two] = response.json.errors as Array<{ line: number; reason: string }>;
    expect(one.reason.split(hidden.id).join('<id>')).toBe(two.reason.split(UNKNOWN).join('<id>'));
  });

  it('is refused when a lead\'s conversion names it for the deal', async () => {
    await refusedAlike(async (id) => {
      const lead = (await rep.client.post('/api/leads', { name: 'Convert with link' })).json;
      return rep.client.post(`/api/leads/${lead.id}/convert`, { version: 1, deal: { contactIds: [id] } });
    }, 400, hiddenContact.id);
  });
});

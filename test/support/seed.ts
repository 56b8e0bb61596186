/**
 * Setting up what a browser test needs through the API, as a signed-in user: records, a type
 * emptied (its records moved to the trash) so a test starts on the rows it made itself.
 */
import Papa from 'papaparse';
import type { Api } from './app.ts';

/** For expect.poll on a machine shared by parallel test runs: vitest's default of 1 s is too short. */
export const PATIENT = { timeout: 15_000 };

type Created = { id: string; version: number } & Record<string, any>;

/** Creates a record and returns it; fails the test with the API's answer otherwise. */
export async function createRecord(api: Api, plural: string, fields: Record<string, unknown>): Promise<Created> {
  const { status, body } = await api('POST', `/api/${plural}`, fields);
  if (status !== 201) throw new Error(`creating a ${plural} record failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Creates records, a few requests at a time; in order when `inOrder` (ids, and so ties of a
 * sort, follow the order of creation).
 */
export async function createRecords(api: Api, plural: string, records: Array<Record<string, unknown>>, { inOrder = false } = {}): Promise<Created[]> {
  const created: Created[] = new Array(records.length);
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const i = next++;
      created[i] = await createRecord(api, plural, records[i]);
    }
  };
  await Promise.all(Array.from({ length: inOrder ? 1 : 8 }, worker));
  return created;
}

/** Every live record of a type the caller sees. */
export async function recordsOf(api: Api, plural: string): Promise<Array<Created>> {
  const records: Created[] = [];
  let cursor: string | undefined;
  do {
    const { status, body } = await api('GET', `/api/${plural}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (status !== 200) throw new Error(`listing ${plural} failed: ${status} ${JSON.stringify(body)}`);
    records.push(...body.items);
    cursor = body.nextCursor ?? undefined;
  } while (cursor);
  return records;
}

/** The live record of a type named `name` (the first one), or undefined. */
export async function recordNamed(api: Api, plural: string, name: string): Promise<Created | undefined> {
  return (await recordsOf(api, plural)).find((record) => record.name === name);
}

/** Moves every live record of these types to the trash (the types side by side): a test's grid then shows only what it creates. */
export async function emptyTypes(api: Api, ...plurals: string[]) {
  await Promise.all(
    plurals.map(async (plural) => {
      const records = await recordsOf(api, plural);
      const type = TYPE_OF[plural];
      for (let i = 0; i < records.length; i += 1000) {
        const items = records.slice(i, i + 1000).map(({ id, version }) => ({ type, id, version }));
        const { status, body } = await api('POST', '/api/trash', { items });
        const refused = status === 200 ? body.results.filter((r: { status: string }) => r.status !== 'ok') : [];
        if (status !== 200 || refused.length) throw new Error(`emptying ${plural} failed: ${status} ${JSON.stringify(refused.length ? refused : body)}`);
      }
    }),
  );
}

const TYPE_OF: Record<string, string> = { companies: 'company', contacts: 'contact', deals: 'deal', leads: 'lead', products: 'product', activities: 'activity' };

/**
 * Imports a CSV into a type in one request (the import's own way of making many records at once),
 * every row of it: a row imported before (even since trashed) would be skipped as a duplicate.
 */
export async function importCsv(api: Api, plural: string, csv: string) {
  const { status, body } = await api('POST', `/api/imports?type=${plural}`, csv, 'text/csv');
  if (status !== 201 || body.ok !== body.rowsRead) throw new Error(`importing ${plural} failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

let imports = 0;
/**
 * Records made from rows of cells by column (as a CSV's header names them: `Name`, `Size`) in one
 * import. A column of the run's own (ignored by the import) makes each row new: the same rows
 * imported again, after a test trashed them, would be taken for those imported before.
 */
export async function importRows(api: Api, plural: string, rows: Array<Record<string, string | number>>) {
  const run = `${process.pid}-${Date.now()}-${++imports}`;
  return importCsv(api, plural, Papa.unparse(rows.map((row) => ({ ...row, 'Seed (not a field)': run }))));
}

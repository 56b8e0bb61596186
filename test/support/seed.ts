/** Setting up records for browser tests through the API, as the user signed in on a page. */
import type { apiOf } from './app.ts';

type Api = Awaited<ReturnType<typeof apiOf>>;

/** For expect.poll on a machine shared by parallel test runs: vitest's default of 1 s is too short. */
export const PATIENT = { timeout: 15_000 };

/** Creates a record and returns it; fails the test with the API's answer otherwise. */
export async function createRecord(api: Api, plural: string, fields: Record<string, unknown>): Promise<{ id: string; version: number } & Record<string, any>> {
  const { status, body } = await api('POST', `/api/${plural}`, fields);
  if (status !== 201) throw new Error(`creating a ${plural} record failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

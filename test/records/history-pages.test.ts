/**
 * A record's history is read whole: a long text changed a few times makes more history than
 * one Query page holds (1 MB), and `GET /api/{plural}/{id}/history` still answers every change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('historyco');
});
afterAll(async () => {
  await cloud?.stop();
});

describe('a record\'s history', () => {
  it('answers every change, past one Query page of history', async () => {
    const field = await user.post('/api/fields/lead', { label: 'Essay', type: 'long_text' });
    expect(field.status, field.text).toBe(201);
    const created = await user.post('/api/leads', { name: 'Long story' });
    expect(created.status, created.text).toBe(201);
    // Each change's history item holds the old and the new text: ~300 KB, so 1.8 MB in all.
    let version = created.json.version;
    const CHANGES = 6;
    for (let i = 0; i < CHANGES; i++) {
      const changed = await user.patch(`/api/leads/${created.json.id}`, { version, fields: { [field.json.key]: String.fromCharCode(97 + i).repeat(150_000) } });
      expect(changed.status, changed.text).toBe(200);
      version = changed.json.version;
    }
    const history = await user.get(`/api/leads/${created.json.id}/history`);
    expect(history.status).toBe(200);
    expect(history.json.items.map((item: { version: number }) => item.version)).toEqual(Array.from({ length: CHANGES + 1 }, (_, i) => i + 1));
    expect(history.json.items.at(-1).changes[0].new).toBe('f'.repeat(150_000));
  });

  it('is 404 for a record that never existed', async () => {
    const missing = await user.get('/api/leads/01ARZ3NDEKTSV4RRFFQ69G5FAV/history');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NotFound');
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client.ts';
import { MAX_BULK_STARTS, startEach, startKeyOf } from './bulk-start.ts';

/** A start that answers when told to: the test decides the order in which starts end. */
function gate() {
  const waiting = new Map<string, (outcome: { instance?: string; error?: unknown }) => void>();
  let inFlight = 0;
  let most = 0;
  const start = (id: string) =>
    new Promise<string>((resolve, reject) => {
      most = Math.max(most, ++inFlight);
      waiting.set(id, ({ instance, error }) => {
        inFlight--;
        waiting.delete(id);
        if (error) reject(error);
        else resolve(instance!);
      });
    });
  return { start, waiting, most: () => most };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('starting a process on each selected record', () => {
  it('starts at most four at a time, and each record gets its result, in the selection\'s order', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const { start, waiting, most } = gate();
    const heard: string[] = [];
    const run = startEach(ids, start, { onResult: (result, done) => heard.push(`${done}:${result.id}`) });
    await flush();
    expect([...waiting.keys()]).toEqual(['a', 'b', 'c', 'd']);
    waiting.get('b')!({ error: new ApiError(400, 'ValidationFailed', 'bad', [{ path: 'input.lines.0.quantity', message: 'must be more than 0' }]) });
    await flush();
    expect([...waiting.keys()]).toEqual(['a', 'c', 'd', 'e']);
    for (const id of ['a', 'c', 'd', 'e']) waiting.get(id)!({ instance: `i-${id}` });
    await flush();
    waiting.get('f')!({ error: new ApiError(404, 'NotFound', 'company f does not exist') });
    const results = await run;
    expect(most()).toBe(4);
    expect(results).toEqual([
      { id: 'a', started: true, instance: 'i-a' },
      { id: 'b', started: false, reason: 'input.lines.0.quantity: must be more than 0' },
      { id: 'c', started: true, instance: 'i-c' },
      { id: 'd', started: true, instance: 'i-d' },
      { id: 'e', started: true, instance: 'i-e' },
      { id: 'f', started: false, reason: 'company f does not exist' },
    ]);
    expect(heard).toEqual(['1:b', '2:a', '3:c', '4:d', '5:e', '6:f']);
  });

  it('stops sending once stopped: the rest are refused as not sent', async () => {
    const { start, waiting } = gate();
    const stop = new AbortController();
    const run = startEach(['a', 'b', 'c'], start, { atOnce: 1, signal: stop.signal });
    await flush();
    stop.abort();
    waiting.get('a')!({ instance: 'i-a' });
    expect((await run).map((result) => result.started)).toEqual([true, false, false]);
    expect(waiting.size).toBe(0);
  });

  it('takes at most 1,000 records; each start\'s key is the run\'s and the record\'s, within the contract', async () => {
    await expect(startEach(Array.from({ length: MAX_BULK_STARTS + 1 }, (_, i) => `r${i}`), async () => 'x')).rejects.toThrow(/at most 1000/);
    const key = startKeyOf('0123456789abcdef0123456789abcdef', '01JAAAAAAAAAAAAAAAAAAAAAAA');
    expect(key).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(startKeyOf('0123456789abcdef0123456789abcdef', '01JBBBBBBBBBBBBBBBBBBBBBBB')).not.toBe(key);
  });
});

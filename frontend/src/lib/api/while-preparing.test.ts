import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';
import { whilePreparing } from './while-preparing.ts';

const preparing = (moves: number) => new ApiError(503, 'Preparing', `the deals' stage moves are being read (${moves} so far)`);

describe('whilePreparing', () => {
  it('asks again while the server says it is preparing, telling how far it got, then answers', async () => {
    const answers: Array<ApiError | string> = [preparing(100), preparing(200), 'the report'];
    const heard: string[] = [];
    const answer = await whilePreparing(
      async () => {
        const next = answers.shift()!;
        if (next instanceof ApiError) throw next;
        return next;
      },
      { waitMs: 10_000, pollMs: 1, onPreparing: (message) => heard.push(message) },
    );
    expect(answer).toBe('the report');
    expect(heard).toEqual(["the deals' stage moves are being read (100 so far)", "the deals' stage moves are being read (200 so far)"]);
  });

  it('gives any other failure at once, and a preparing one once the wait is over', async () => {
    let asked = 0;
    const refused = new ApiError(400, 'ValidationError', 'Bad input');
    await expect(whilePreparing(async () => (asked++, Promise.reject(refused)), { waitMs: 10_000, pollMs: 1 })).rejects.toBe(refused);
    expect(asked).toBe(1);
    await expect(whilePreparing(() => Promise.reject(preparing(1)), { waitMs: 0, pollMs: 1 })).rejects.toMatchObject({ code: 'Preparing' });
  });
});

import { describe, expect, it } from 'vitest';
import { ago } from './ago.ts';

describe('ago', () => {
  const now = Date.parse('2026-12-07T12:00:00.000Z');
  it('says how long ago, in the unit a person would', () => {
    expect(ago('2026-12-07T11:59:30.000Z', now)).toBe('just now');
    expect(ago('2026-12-07T11:55:00.000Z', now)).toBe('5 min ago');
    expect(ago('2026-12-07T09:00:00.000Z', now)).toBe('3 h ago');
    expect(ago('2026-12-06T11:00:00.000Z', now)).toBe('yesterday');
    expect(ago('2026-12-04T12:00:00.000Z', now)).toBe('3 days ago');
    // A time a little ahead of this clock (another machine's) is now, not "in the future".
    expect(ago('2026-12-07T12:00:05.000Z', now)).toBe('just now');
  });
});

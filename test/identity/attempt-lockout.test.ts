import { describe, expect, it } from 'vitest';
import { AttemptLockout } from '../../local/identity/attempt-lockout.ts';

/** A lockout on a clock the test moves. */
function lockoutAt(start = 0) {
  const clock = { now: start };
  return { clock, lockout: new AttemptLockout(() => clock.now) };
}

const admitted = (lockout: AttemptLockout, name: string, times: number) => Array.from({ length: times }, () => lockout.admit(name)).filter(Boolean).length;

describe('the attempt lockout (Cognito: five free failures, then 2^(n-5) s up to about 15 min)', () => {
  it('admits five attempts at once and refuses the rest, case and spacing aside', () => {
    const { lockout } = lockoutAt();
    expect(admitted(lockout, ' Someone@Example.com', 25)).toBe(5);
    expect(lockout.admit('other@example.com')).toBe(true);
  });

  it('locks for 1 s after the fifth failure, twice as long after each further one, at most 15 min', () => {
    const { clock, lockout } = lockoutAt();
    admitted(lockout, 'a@example.com', 5);
    for (const seconds of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]) {
      clock.now += seconds * 1000 - 1;
      expect(lockout.admit('a@example.com'), `${seconds} s`).toBe(false);
      clock.now += 1;
      expect(lockout.admit('a@example.com'), `${seconds} s`).toBe(true);
    }
  });

  it('does not count attempts refused during a lockout', () => {
    const { clock, lockout } = lockoutAt();
    admitted(lockout, 'a@example.com', 5);
    expect(admitted(lockout, 'a@example.com', 100)).toBe(0);
    clock.now += 1000;
    expect(lockout.admit('a@example.com')).toBe(true);
    // The sixth counted failure: 2 s, not 2^105.
    clock.now += 2000;
    expect(lockout.admit('a@example.com')).toBe(true);
  });

  it('ends the streak on a success, or after 15 minutes without a counted attempt once the lockout is over', () => {
    const { clock, lockout } = lockoutAt();
    admitted(lockout, 'a@example.com', 4);
    lockout.succeeded('A@example.com');
    expect(admitted(lockout, 'a@example.com', 5)).toBe(5);
    expect(lockout.admit('a@example.com')).toBe(false);

    // Locked for 1 s: the 15 minutes count from the lockout's end, so the streak goes on (2 s).
    clock.now += 15 * 60_000;
    expect(lockout.admit('a@example.com')).toBe(true);
    expect(lockout.admit('a@example.com')).toBe(false);
    clock.now += 2_000 + 15 * 60_000 - 1;
    expect(lockout.admit('a@example.com')).toBe(true);
    expect(lockout.admit('a@example.com')).toBe(false);
    // 15 minutes after the end of that one (4 s): forgotten, five free again.
    clock.now += 1 + 4_000 + 15 * 60_000;
    expect(admitted(lockout, 'a@example.com', 6)).toBe(5);
  });
});

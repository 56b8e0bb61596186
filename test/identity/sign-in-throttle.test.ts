import { describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../local/identity/sign-in-throttle.ts';

describe('the sign-in throttle', () => {
  it('locks a user name after five failures in a row, longer after each further one', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 4; i++) throttle.failed('Someone@Example.com', 0);
    expect(throttle.isLocked('someone@example.com', 0)).toBe(false);
    throttle.failed('someone@example.com', 0);
    expect(throttle.isLocked('someone@example.com', 1_999)).toBe(true);
    expect(throttle.isLocked('someone@example.com', 2_000)).toBe(false);
    expect(throttle.isLocked('other@example.com', 0)).toBe(false);
    throttle.failed('someone@example.com', 2_000);
    expect(throttle.isLocked('someone@example.com', 5_999)).toBe(true);
    expect(throttle.isLocked('someone@example.com', 6_000)).toBe(false);
    for (let i = 0; i < 30; i++) throttle.failed('someone@example.com', 10_000);
    expect(throttle.isLocked('someone@example.com', 10_000 + 15 * 60_000)).toBe(false);
  });

  it('forgets the streak on a successful sign-in', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 4; i++) throttle.failed('a@example.com', 0);
    throttle.succeeded('a@example.com');
    throttle.failed('a@example.com', 0);
    expect(throttle.isLocked('a@example.com', 0)).toBe(false);
  });
});

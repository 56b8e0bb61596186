/**
 * Cognito's lockout after failed attempts ("Lockout behavior for failed sign-in attempts" in
 * its developer guide): five failures are free; after the n-th failure in a row (n >= 5) the
 * name is locked for 2^(n-5) s (1 s, 2 s, 4 s, ...), at most about 15 minutes. Attempts during a
 * lockout are refused unchecked and do not count. A success ends the streak, and so do 15
 * minutes without a counted attempt after the last lockout has ended (Cognito: "after a
 * lockout"; here also before the first, which keeps the map bounded). So at the cap a guesser
 * gets one try per 15 minutes, and only someone who leaves the name alone for half an hour
 * starts afresh. The same rule guards reset codes (ConfirmForgotPassword), one instance each.
 *
 * An attempt is counted as a failure when it is admitted, before its slow check (scrypt) runs,
 * and the count and the lock are set in the same synchronous step: of 25 guesses sent at once,
 * five are checked and twenty refused, and none can slip in while the others are being hashed.
 * A correct answer then clears the streak. Kept in memory: a restart forgets.
 */
const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 1_000;
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 15 * 60_000;

interface Streak {
  failures: number;
  lockedUntil: number;
  lastAttempt: number;
}

export class AttemptLockout {
  /** In order of last counted attempt (re-inserted on each), so idle streaks are at the front. */
  private readonly streaks = new Map<string, Streak>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Counts an attempt on `name` as failed, unless `name` is locked: then false, and it must be
   * refused without being checked. Call `succeeded` once the attempt proves right.
   */
  admit(name: string): boolean {
    const now = this.now();
    this.forgetIdle(now);
    const key = keyOf(name);
    const known = this.streaks.get(key);
    const streak = known && !isIdle(known, now) ? known : { failures: 0, lockedUntil: 0, lastAttempt: now };
    if (streak.lockedUntil > now) return false;
    streak.failures++;
    streak.lastAttempt = now;
    if (streak.failures >= FREE_FAILURES) {
      streak.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (streak.failures - FREE_FAILURES));
    }
    this.streaks.delete(key);
    this.streaks.set(key, streak);
    return true;
  }

  succeeded(name: string): void {
    this.streaks.delete(keyOf(name));
  }

  /** From the front, the longest idle first; stops at the first still in force (later ones go later). */
  private forgetIdle(now: number): void {
    for (const [key, streak] of this.streaks) {
      if (!isIdle(streak, now)) break;
      this.streaks.delete(key);
    }
  }
}

const isIdle = (streak: Streak, now: number) => now - Math.max(streak.lastAttempt, streak.lockedUntil) >= FORGET_AFTER_MS;

const keyOf = (name: string) => name.trim().toLowerCase();

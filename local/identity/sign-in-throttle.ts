/**
 * Slows down password guessing as a Cognito user pool does: after five wrong passwords in a row
 * for one user name, sign-in is refused for a while, twice as long after each further failure
 * (from 2 s up to 15 min); a correct password ends the streak. Kept in memory: a restart forgets.
 */
const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 2_000;
const MAX_LOCK_MS = 15 * 60_000;

export class SignInThrottle {
  private readonly streaks = new Map<string, { failures: number; lockedUntil: number }>();

  isLocked(username: string, now = Date.now()): boolean {
    return (this.streaks.get(key(username))?.lockedUntil ?? 0) > now;
  }

  failed(username: string, now = Date.now()): void {
    const streak = this.streaks.get(key(username)) ?? { failures: 0, lockedUntil: 0 };
    streak.failures++;
    if (streak.failures >= FREE_FAILURES) {
      streak.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (streak.failures - FREE_FAILURES));
    }
    this.streaks.set(key(username), streak);
  }

  succeeded(username: string): void {
    this.streaks.delete(key(username));
  }
}

const key = (username: string) => username.trim().toLowerCase();

/**
 * Slows guessing of a signed-in user's current password (password change; keyed by the user, so
 * it cannot be flooded): after 5 failures, refused for a period that doubles with each further
 * failure (30 s up to 15 min). Sign-in itself is throttled through the database by
 * SignInThrottle (sign-in-throttle.ts), shared by every hub.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseLockMs = 30_000,
    private readonly maxLockMs = 15 * 60_000,
  ) {}

  retryAfterSeconds(key: string, now = Date.now()): number {
    const entry = this.failures.get(key);
    return entry && entry.lockedUntil > now ? Math.ceil((entry.lockedUntil - now) / 1000) : 0;
  }

  recordFailure(key: string, now = Date.now()): void {
    const entry = this.failures.get(key) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= this.freeAttempts) {
      const lockMs = Math.min(this.maxLockMs, this.baseLockMs * 2 ** (entry.count - this.freeAttempts));
      entry.lockedUntil = now + lockMs;
    }
    this.failures.set(key, entry);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}

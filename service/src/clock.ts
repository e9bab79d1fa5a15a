/**
 * The service's one source of time (ARCHITECTURE.md rule 3). Commands, queries that compare with
 * "now" and scoring take the time from a Clock handed to them, never from Date.now()/new Date(),
 * so that decisions can be replayed as of a payment's time and tests never depend on today's date.
 */
export interface Clock {
  now(): Date;
}

/** The wall clock, used by a running service. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock tests and replays set by hand; it only moves when told to. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
    if (!Number.isFinite(this.current)) throw new Error(`ManualClock: invalid start ${String(start)}`);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

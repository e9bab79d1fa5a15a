/**
 * Background loops (fraud API toggle schedules, configuration reloads, the batch assessment
 * processor) beat once per finished round, whether the round succeeded or failed: a loop that
 * stops beating is dead or hung, which readiness (/ready) reports by the loop's name. A failing
 * round is not a dead loop; what made it fail (the database) has a check of its own.
 *
 * Real monotonic time, not the injected clock (ARCHITECTURE.md rule 3 is about decisions): the
 * loops run on real timers, and tests drive the clock by hand.
 */
export interface Heartbeat {
  beat(): void;
}

interface Loop {
  name: string;
  staleAfterMs: number;
  lastBeat: number;
}

export class Heartbeats {
  private readonly loops = new Map<string, Loop>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A loop that must finish a round at least every `staleAfterMs`; it counts as alive from now. */
  register(name: string, staleAfterMs: number): Heartbeat {
    const loop: Loop = { name, staleAfterMs, lastBeat: this.now() };
    this.loops.set(name, loop);
    return {
      beat: () => {
        loop.lastBeat = this.now();
      },
    };
  }

  /** Stops watching a loop (its service stopped on purpose). */
  unregister(name: string): void {
    this.loops.delete(name);
  }

  status(): Array<{ name: string; ok: boolean; silentForMs: number }> {
    const now = this.now();
    return [...this.loops.values()].map((loop) => ({
      name: loop.name,
      ok: now - loop.lastBeat <= loop.staleAfterMs,
      silentForMs: Math.round(now - loop.lastBeat),
    }));
  }
}

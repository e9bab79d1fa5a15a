import type { HubTransport } from '../workstation/types.ts';

/**
 * A simulated network between one workstation and the hub (issue 12 "Proof", model tests). It
 * wraps real fetch and, with a seeded random source, loses requests before they reach the hub,
 * loses answers after the hub handled them, sends a request a second time later (a stale replay
 * arriving after newer requests: duplication and reordering at once) and delays both ways.
 * Nothing about the hub or the workstation is simulated: only the wire.
 */
export interface Faults {
  /** Share of requests lost on the way to the hub. */
  dropRequest: number;
  /** Share of answers lost on the way back (the hub did the work). */
  dropAnswer: number;
  /** Share of requests the network delivers again, later. */
  duplicate: number;
  /** Each way waits up to this long. */
  maxDelayMs: number;
  /** Nothing gets through (a cable pulled). */
  partitioned: boolean;
}

export const PERFECT: Faults = { dropRequest: 0, dropAnswer: 0, duplicate: 0, maxDelayMs: 0, partitioned: false };

/** mulberry32: small, seeded, good enough to pick faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function pause(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    if (signal?.aborted) return aborted();
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

export interface NetworkStats {
  requests: number;
  lostRequests: number;
  lostAnswers: number;
  replays: number;
}

export class LossyNetwork {
  faults: Faults = PERFECT;
  readonly stats: NetworkStats = { requests: 0, lostRequests: 0, lostAnswers: 0, replays: 0 };
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly random: () => number) {}

  heal(): void {
    this.faults = PERFECT;
  }

  /** Replays still on the wire: waited for before a run ends, so none reaches a closed hub's successor. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  readonly transport: HubTransport = async (url, init) => {
    const f = this.faults;
    this.stats.requests += 1;
    await pause(Math.floor(this.random() * f.maxDelayMs), init.signal);
    if (f.partitioned || this.random() < f.dropRequest) {
      this.stats.lostRequests += 1;
      throw new TypeError('fetch failed (simulated: the request was lost)');
    }
    if (this.random() < f.duplicate) {
      this.stats.replays += 1;
      const later = 20 + Math.floor(this.random() * Math.max(50, f.maxDelayMs * 3));
      const replay = (async () => {
        await pause(later, null);
        // The copy on the wire is no longer the caller's: its abort does not reach it.
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
      })().catch(() => {});
      this.inFlight.add(replay);
      void replay.finally(() => this.inFlight.delete(replay));
    }
    const response = await fetch(url, init);
    // The hub has answered in full: whatever happens now happens after its work.
    const bytes = await response.arrayBuffer();
    if (this.faults.partitioned || this.random() < f.dropAnswer) {
      this.stats.lostAnswers += 1;
      throw new TypeError('fetch failed (simulated: the answer was lost)');
    }
    await pause(Math.floor(this.random() * f.maxDelayMs), init.signal);
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * Group commit: items submitted while a transaction is in flight are written together by the
 * next one, so under load many requests share one commit instead of paying one each; when idle
 * an item is written at once (no timer, no added latency). With `concurrency` > 1 (PostgreSQL,
 * where a transaction waits on the network) up to that many batches are in flight at once.
 */
export class GroupCommitWriter<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;
  private scheduled = false;
  lastBatchSize = 0;
  lastFlushMs = 0;
  batches = 0;
  /** Time spent writing, in total: with the batch count, what a commit costs under load. */
  totalFlushMs = 0;
  /** Since when work has waited without a flush finishing (null when idle): readiness reads it. */
  private progressSince: number | null = null;

  constructor(
    /** Writes a batch in one transaction; returns one result per item, in order. */
    private readonly writeBatch: (items: T[]) => Promise<R[]>,
    /** Writes one item alone: used to isolate the failing item when a batch fails. */
    private readonly writeOne: (item: T) => Promise<R>,
    private readonly maxBatch = 400,
    private readonly concurrency = 1,
  ) {}

  /**
   * How long work has waited without any flush finishing, in ms (0 when idle). A flush that fails
   * still finishes (its callers get the error), so only a writer that hangs counts as stalled.
   */
  stalledForMs(now = performance.now()): number {
    return this.progressSince === null ? 0 : Math.max(0, now - this.progressSince);
  }

  get queued(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.progressSince === null) this.progressSince = performance.now();
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.concurrency) {
        this.scheduled = true;
        // Let requests parsed in the same turn of the event loop join this batch.
        setImmediate(() => {
          this.scheduled = false;
          this.startFlushes();
        });
      }
    });
  }

  private startFlushes(): void {
    while (this.queue.length > 0 && this.inFlight < this.concurrency) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.progressSince = this.queue.length > 0 || this.inFlight > 0 ? performance.now() : null;
        this.startFlushes();
      });
    }
  }

  private async flush(batch: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }>): Promise<void> {
    const started = performance.now();
    try {
      const results = await this.writeBatch(batch.map((b) => b.item));
      batch.forEach((b, i) => {
        b.resolve(results[i]!);
      });
    } catch {
      // One bad item must not fail its neighbours: write them one by one.
      for (const b of batch) {
        try {
          b.resolve(await this.writeOne(b.item));
        } catch (error) {
          b.reject(error);
        }
      }
    }
    this.lastBatchSize = batch.length;
    this.lastFlushMs = performance.now() - started;
    this.totalFlushMs += this.lastFlushMs;
    this.batches += 1;
  }
}

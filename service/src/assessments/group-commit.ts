/**
 * Group commit: items submitted while a transaction is in flight are written together by the
 * next one, so under load many requests share one commit instead of paying one each; when idle
 * an item is written at once (no timer, no added latency).
 */
export class GroupCommitWriter<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private flushing = false;
  lastBatchSize = 0;
  lastFlushMs = 0;
  batches = 0;

  constructor(
    /** Writes a batch in one transaction; returns one result per item, in order. */
    private readonly writeBatch: (items: T[]) => Promise<R[]>,
    /** Writes one item alone: used to isolate the failing item when a batch fails. */
    private readonly writeOne: (item: T) => Promise<R>,
    private readonly maxBatch = 400,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let requests parsed in the same turn of the event loop join this batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const started = performance.now();
      try {
        const results = await this.writeBatch(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
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
      this.batches += 1;
    }
    this.flushing = false;
  }
}

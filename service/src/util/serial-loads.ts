/**
 * Reloads of an in-memory cache, run one after another: each reload asked for starts after the
 * previous one ends, so no stale in-flight load answers for a newer request, and a failed load
 * does not stop the next one.
 */
export class SerialLoads {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly load: () => Promise<void>) {}

  /** A load that starts after every load asked for before it. */
  run(): Promise<void> {
    this.tail = this.tail.then(this.load, this.load);
    return this.tail;
  }

  /** Resolves once every load asked for so far has finished (read-your-writes on this hub). */
  async settled(): Promise<void> {
    await this.tail.catch(() => undefined);
  }
}

/** A wake-up call for a loop: wait(ms) returns after ms, or as soon as notify() is called (also if it was called before). */
export class Wake {
  private waiters: Array<() => void> = [];
  private notified = false;

  notify(): void {
    this.notified = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  wait(ms: number): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.waiters.push(done);
    });
  }
}

/**
 * Timers the emulator owns (delivery retries, chaos holds, redaction completion). They are unref'd so an
 * emulator never keeps a test process alive, and all cleared by close().
 */
export class TimerSet {
  private readonly live = new Set<NodeJS.Timeout>();
  private closed = false;

  schedule(fn: () => void, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.live.delete(timer);
        fn();
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.live.add(timer);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.schedule(resolve, delayMs);
    });
  }

  get size(): number {
    return this.live.size;
  }

  clear(): void {
    this.closed = true;
    for (const timer of this.live) clearTimeout(timer);
    this.live.clear();
  }
}

/**
 * Retries a write of a result that must not be lost to a short database blip. A reaction whose result is
 * not recorded is sent again once its lease runs out (measured before: a 0.5 s PostgreSQL restart re-sent
 * 13 emails and 7 callbacks minutes later), so the write is tried again for a while instead.
 */
export interface RetryWriteOptions {
  /** Delays between tries, ms; after the last one the error is thrown. */
  delaysMs: readonly number[];
  /** Stop retrying early (the process is shutting down). */
  abandoned?: () => boolean;
}

export const RESULT_WRITE_DELAYS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000, 4_000, 8_000];

export async function retryWrite<T>(write: () => Promise<T>, options: RetryWriteOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const delay = options.delaysMs[attempt];
      if (delay === undefined || options.abandoned?.()) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

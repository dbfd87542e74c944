/**
 * What `idv reconcile` shows while it pulls events. On a terminal: one line redrawn in place — a bar of
 * the share of the time range covered (events come newest first, so the last one's `created` says how far
 * back the run has got), fetched, new, and the rate. Anywhere else (a pipe, a log file, CI) a redrawn line
 * would be noise, so a plain line is written every `plainEvery` events instead.
 */
import type { ReconcileProgress } from '../worker/reconcile.js';

/** The part of a stream the display uses; process.stdout fits, and so does a test's recorder. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressDisplay {
  update(progress: ReconcileProgress): void;
  /** Draws the last state and ends the redrawn line, so the summary starts on a line of its own. */
  finish(progress: ReconcileProgress): void;
}

const BAR_WIDTH = 24;

export function createReconcileProgress(
  stream: ProgressStream,
  options: {
    /** The range being reconciled, Unix seconds. */
    sinceSec: number;
    untilSec: number;
    clock: () => number;
    /** Least time between two redraws on a terminal (default 100 ms): drawing must not slow the run. */
    redrawMs?: number;
    /** A plain line every this many events (default 100). */
    plainEvery?: number;
  },
): ProgressDisplay {
  const startedAt = options.clock();
  const redrawMs = options.redrawMs ?? 100;
  const plainEvery = options.plainEvery ?? 100;
  const tty = stream.isTTY === true;
  let lastDraw = -Infinity;
  let drawn = false;

  const figures = (p: ReconcileProgress) => {
    const span = Math.max(1, options.untilSec - options.sinceSec);
    const reached = p.reachedSec ?? options.untilSec;
    const share = Math.min(1, Math.max(0, (options.untilSec - reached) / span));
    const seconds = Math.max(0.001, (options.clock() - startedAt) / 1000);
    return { share, rate: p.fetched / seconds };
  };
  const draw = (p: ReconcileProgress, share: number, rate: number) => {
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const text = `${bar} ${percent(share)} fetched ${p.fetched}, new ${p.inserted}, ${rate.toFixed(1)}/s`;
    // \r returns to the line's start, \x1b[K clears what a longer previous line left behind.
    stream.write(`\r${text.slice(0, Math.max(20, (stream.columns ?? 80) - 1))}\x1b[K`);
    drawn = true;
  };

  return {
    update(p) {
      if (!tty) {
        if (p.fetched % plainEvery !== 0) return;
        const { share, rate } = figures(p);
        stream.write(
          `  fetched ${p.fetched}, new ${p.inserted} (${percent(share).trim()} of the range, ${rate.toFixed(1)}/s)\n`,
        );
        return;
      }
      const now = options.clock();
      if (now - lastDraw < redrawMs) return;
      lastDraw = now;
      const { share, rate } = figures(p);
      draw(p, share, rate);
    },
    finish(p) {
      if (!tty) return;
      // Done means the whole range was covered, even if its oldest part held no event.
      if (drawn || p.fetched > 0) {
        draw(p, 1, figures(p).rate);
        stream.write('\n');
      }
    },
  };
}

function percent(share: number): string {
  return `${Math.floor(share * 100)}%`.padStart(4);
}

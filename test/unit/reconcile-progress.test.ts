import { describe, expect, it } from 'vitest';
import { createReconcileProgress } from '../../src/cli/reconcile-progress.js';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 100, writes, write: (chunk: string) => writes.push(chunk) };
}

// A range of 1000 s ending at t = 10 000 s; the clock is in ms and moves only when the test says so.
const UNTIL = 10_000;
const SINCE = 9_000;

describe('idv reconcile progress on a terminal', () => {
  it('redraws one line in place with the share covered, fetched, new and the rate', () => {
    const tty = recorder(true);
    let now = UNTIL * 1000;
    const display = createReconcileProgress(tty, { sinceSec: SINCE, untilSec: UNTIL, clock: () => now });
    now += 2000;
    display.update({ fetched: 50, inserted: 20, reachedSec: UNTIL - 250 });
    // Within the redraw interval: nothing is drawn, the run is not slowed by the terminal.
    now += 50;
    display.update({ fetched: 51, inserted: 20, reachedSec: UNTIL - 251 });
    now += 1950;
    display.update({ fetched: 200, inserted: 80, reachedSec: UNTIL - 600 });
    expect(tty.writes).toHaveLength(2);
    for (const w of tty.writes) {
      expect(w.startsWith('\r')).toBe(true);
      expect(w).not.toContain('\n');
      expect(w.endsWith('\x1b[K')).toBe(true);
    }
    expect(tty.writes[0]).toContain(' 25% fetched 50, new 20, 25.0/s');
    expect(tty.writes[0]).toContain(`${'█'.repeat(6)}${'░'.repeat(18)}`);
    expect(tty.writes[1]).toContain(' 60% fetched 200, new 80, 50.0/s');

    display.finish({ fetched: 210, inserted: 81, reachedSec: UNTIL - 700 });
    expect(tty.writes.at(-2)).toContain(`${'█'.repeat(24)} 100% fetched 210, new 81`);
    expect(tty.writes.at(-1)).toBe('\n');
  });

  it('keeps the line shorter than the terminal is wide', () => {
    const tty = { ...recorder(true), columns: 30 };
    const display = createReconcileProgress(tty, { sinceSec: SINCE, untilSec: UNTIL, clock: () => 1 });
    display.update({ fetched: 1, inserted: 1, reachedSec: UNTIL });
    expect(tty.writes[0]!.replace('\r', '').replace('\x1b[K', '').length).toBeLessThanOrEqual(29);
  });
});

describe('idv reconcile progress elsewhere', () => {
  it('writes a plain line every 100 events and nothing to redraw', () => {
    const plain = recorder(false);
    let now = 0;
    const display = createReconcileProgress(plain, { sinceSec: SINCE, untilSec: UNTIL, clock: () => now });
    for (let i = 1; i <= 250; i++) {
      now += 10;
      display.update({ fetched: i, inserted: Math.floor(i / 2), reachedSec: UNTIL - i * 2 });
    }
    display.finish({ fetched: 250, inserted: 125, reachedSec: UNTIL - 500 });
    expect(plain.writes).toEqual([
      '  fetched 100, new 50 (20% of the range, 100.0/s)\n',
      '  fetched 200, new 100 (40% of the range, 100.0/s)\n',
    ]);
  });
});

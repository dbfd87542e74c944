/** `node bench/fsync-cost.js`: what one SQLite commit costs on this disk (WAL, synchronous FULL vs NORMAL), one row vs 32. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
for (const sync of ['FULL', 'NORMAL'])
  for (const batch of [1, 32]) {
    const db = new Database(join(mkdtempSync(join(tmpdir(), 'fs-')), 'x.db'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, payload TEXT)');
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    const p = 'x'.repeat(1800);
    const tx = db.transaction((n, base) => {
      for (let i = 0; i < n; i++) ins.run(`id${base}_${i}`, p);
    });
    const N = 1500;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) tx.immediate(batch, i);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(
      `synchronous=${sync} batch=${batch}: ${(ms / N).toFixed(3)} ms per commit, ${((ms / N / batch) * 1000).toFixed(1)} µs per row`,
    );
    db.close();
  }

/**
 * `idv replay` says what it did: nothing dead is "No dead events" and processes nothing (it used to run the
 * whole pending backlog and report it as replayed); an unknown id is named and the exit code is 1.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { captureStream } from '../../packages/emulator/test/helpers.js';
import { newEvent } from '../contract/fixtures.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir('idv-replay-');
const file = join(temp.dir, 'idv.db');
const env = { IDV_DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' };
const pending = [newEvent(), newEvent(), newEvent()];
const dead = newEvent();

async function idv(argv: string[]) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function statuses(): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, status FROM events').all() as { id: string; status: string }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.status]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const store = new SqliteStore({ filename: file });
  await store.migrate();
  for (const event of [...pending, dead]) await store.insertEvent(event);
  await store.close();
});
afterAll(() => temp.cleanup());

describe('idv replay', () => {
  it('--dead with nothing dead says so and processes nothing', async () => {
    const out = await idv(['replay', '--dead']);
    expect(out).toMatchObject({ code: 0, stdout: 'No dead events.\n' });
    for (const event of pending) expect(statuses()[event.id]).toBe('pending');
  });

  it('names an unknown id and a pending one, and exits 1', async () => {
    const out = await idv(['replay', 'evt_unknown', pending[0]!.id]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('evt_unknown: no such event');
    expect(out.stderr).toContain(`${pending[0]!.id}: pending`);
    expect(out.stdout).toBe('No event replayed.\n');
    expect(statuses()[pending[1]!.id]).toBe('pending');
  });

  it('--dead requeues the dead event and tells it apart from other pending work', async () => {
    const db = new Database(file);
    db.prepare("UPDATE events SET status = 'dead' WHERE id = ?").run(dead.id);
    db.close();
    const out = await idv(['replay', '--dead']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Requeued 1 event(s).');
    expect(out.stdout).toContain('Processed 1 event(s) (and 3 other pending).');
    expect(statuses()[dead.id]).not.toBe('dead');
  });
});

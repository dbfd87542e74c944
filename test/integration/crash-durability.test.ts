import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { spawnIdv } from '../helpers/child.js';
import { WEBHOOK_SECRET } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

it('every acknowledged event survives a SIGKILL right after a burst, and the restarted server sees them all', async () => {
  const dbPath = join(temp.dir, 'idv.db');
  const env = {
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    IDV_DATABASE_URL: `sqlite:${dbPath}`,
    IDV_ROLE: 'receiver',
  };
  const first = await spawnIdv(['serve', '--port', '0'], env);

  const acknowledged: string[] = [];
  const events = Array.from({ length: 400 }, () =>
    sessionEvent({ type: 'identity.verification_session.processing', sessionId: uniqueId('vs') }),
  );
  // 32 concurrent senders; the process is killed the moment the last answer is in.
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < events.length) {
        const event = events[next++]!;
        const res = await postSigned(first.url, event, WEBHOOK_SECRET).catch(() => null);
        if (res?.status === 200) acknowledged.push(event.id as string);
      }
    }),
  );
  first.proc.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  expect(acknowledged.length).toBe(events.length);

  const second = await spawnIdv(['serve', '--port', '0'], env);
  try {
    const db = new Database(dbPath, { readonly: true });
    const stored = new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
    db.close();
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }
});

it('refuses to start without STRIPE_WEBHOOK_SECRET, naming the variable', async () => {
  await expect(
    spawnIdv(['serve', '--port', '0'], { IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'x.db')}` }),
  ).rejects.toThrow(/STRIPE_WEBHOOK_SECRET: required/);
});

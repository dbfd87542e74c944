/**
 * The SQLite store notices when its ground moves: the database file deleted (or replaced) under the running
 * service, or the disk full. Webhooks and /readyz answer 503 instead of 200 into a file that is gone, nothing
 * acknowledged is lost, and the service resumes without a restart once the file is back or there is room.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

const event = () =>
  sessionEvent({ type: 'identity.verification_session.processing', sessionId: uniqueId('vs') });

async function readyStatus(s: TestService): Promise<number> {
  return (await fetch(`${s.url}/readyz`)).status;
}

function storedIds(dbPath: string): Set<string> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
}

describe('the SQLite store under a moving ground', () => {
  it('answers 503 once its file is deleted, loses nothing acknowledged, and resumes when it is restored', async () => {
    service = await startTestService({ IDV_ROLE: 'receiver' });
    const s = service;
    const acked: string[] = [];
    const send = async () => {
      const e = event();
      const res = await postSigned(s.url, e, WEBHOOK_SECRET);
      if (res.status === 200) acked.push(e.id as string);
      return res.status;
    };
    for (let i = 0; i < 5; i++) expect(await send()).toBe(200);
    const backup = `${s.dbPath}.backup`;
    await (s.store as SqliteStore).db.backup(backup);

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${s.dbPath}${suffix}`, { force: true });
    const afterDeletion = await Promise.all(Array.from({ length: 20 }, send));
    expect(afterDeletion.every((status) => status === 503)).toBe(true);
    expect(await readyStatus(s)).toBe(503);
    expect(existsSync(s.dbPath)).toBe(false);

    copyFileSync(backup, s.dbPath);
    await waitFor(async () => ((await readyStatus(s)) === 200 ? true : undefined), 5_000, 'ready again');
    for (let i = 0; i < 5; i++) expect(await send()).toBe(200);

    const dbPath = s.dbPath;
    await s.close();
    const stored = storedIds(dbPath);
    expect(acked).toHaveLength(10);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('answers 503 and is not ready while the disk is full, and resumes once there is room', async () => {
    service = await startTestService({ IDV_ROLE: 'receiver' });
    const s = service;
    const db = (s.store as SqliteStore).db;
    expect(await postSigned(s.url, event(), WEBHOOK_SECRET).then((r) => r.status)).toBe(200);
    // SQLite's own cap stands in for a full disk: the file may not grow by another page.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const padded = () => ({ ...event(), padding: 'x'.repeat(64 * 1024) });
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      status = (await postSigned(s.url, padded(), WEBHOOK_SECRET)).status;
    }
    expect(status).toBe(503);
    expect(await readyStatus(s)).toBe(503);

    db.pragma('max_page_count = 1073741823');
    expect(await readyStatus(s)).toBe(200);
    expect((await postSigned(s.url, padded(), WEBHOOK_SECRET)).status).toBe(200);
  });
});

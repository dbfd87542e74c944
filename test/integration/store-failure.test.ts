import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir();
const dbPath = `${temp.dir}/idv.db`;
let service: TestService;

beforeAll(async () => {
  service = await startTestService(
    { IDV_ROLE: 'receiver' },
    { store: new SqliteStore({ filename: dbPath, busyTimeoutMs: 100 }), dbPath },
  );
});
afterAll(async () => {
  await service.stop();
  temp.cleanup();
});

it('answers 503 while the store cannot commit, stores nothing, and 200 once it can again', async () => {
  // Another connection holds the write lock: the receiver's commit fails the way a locked or full disk does.
  const other = new Database(dbPath);
  other.exec('BEGIN IMMEDIATE');
  const event = sessionEvent({ type: 'identity.verification_session.processing', sessionId: uniqueId('vs') });
  try {
    const res = await postSigned(service.url, event, WEBHOOK_SECRET);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  const check = new Database(dbPath, { readonly: true });
  expect(check.prepare('SELECT count(*) AS n FROM events WHERE id = ?').get(event.id)).toEqual({ n: 0 });
  check.close();

  const retry = await postSigned(service.url, event, WEBHOOK_SECRET);
  expect(retry.status).toBe(200);
});

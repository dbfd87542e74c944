import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  API_TOKEN,
  WEBHOOK_SECRET,
  adminGet,
  startTestService,
  type TestService,
} from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';

const KEY = 'a'.repeat(64);
let service: TestService;
beforeAll(async () => {
  service = await startTestService({ IDV_ENCRYPTION_KEY: KEY });
});
afterAll(() => service.stop());

it('stores the subject email encrypted when IDV_ENCRYPTION_KEY is set, and still uses it', async () => {
  const ref = uniqueId('user');
  const event = sessionEvent({
    type: 'identity.verification_session.processing',
    subject: ref,
    email: 'private.person@example.test',
  });
  expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
  await waitFor(async () =>
    ((await (await adminGet(service, `/admin/api/events/${event.id}`)).json()) as { status: string })
      .status === 'processed'
      ? true
      : undefined,
  );

  const db = new Database(service.dbPath, { readonly: true });
  const row = db.prepare('SELECT email FROM subjects WHERE ref = ?').get(ref) as { email: string };
  db.close();
  expect(row.email).toMatch(/^enc:v2:/);
  expect(row.email).not.toContain('private.person');
  expect((await service.store.getSubject(ref))?.subject.email).toBe('private.person@example.test');

  // The app API never shows it, and no log line contains it.
  const answer = await (
    await fetch(`${service.url}/v1/subjects/${ref}`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
  ).text();
  expect(answer).not.toContain('private.person');
  expect(JSON.stringify(service.logs)).not.toContain('private.person');
});

it('purges the subject email when Stripe reports a session redacted', async () => {
  const ref = uniqueId('user');
  const vs = uniqueId('vs');
  const first = sessionEvent({
    type: 'identity.verification_session.processing',
    sessionId: vs,
    subject: ref,
    email: 'gone.soon@example.test',
  });
  const redacted = sessionEvent({
    type: 'identity.verification_session.redacted',
    sessionId: vs,
    subject: ref,
    created: (first.created as number) + 60,
  });
  for (const event of [first, redacted]) {
    expect((await postSigned(service.url, event, WEBHOOK_SECRET)).status).toBe(200);
    await waitFor(async () =>
      (await service.store.getEvent(event.id as string))?.status === 'processed' ? true : undefined,
    );
  }
  expect((await service.store.getSubject(ref))?.subject.email).toBeNull();
});

it('deletes processed and ignored events older than IDV_EVENT_RETENTION_DAYS, and keeps the rest', async () => {
  const { tempDir } = await import('../helpers/temp.js');
  const { SqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
  const temp = tempDir();
  const dbPath = `${temp.dir}/idv.db`;
  const seed = new SqliteStore({ filename: dbPath });
  await seed.migrate();
  const old = Date.now() - 10 * 86_400_000;
  const base = { type: 'charge.succeeded', livemode: false, created: 1, objectId: null, payload: '{}' };
  await seed.insertEvent({
    ...base,
    id: 'evt_old_ignored',
    status: 'ignored',
    ignoredReason: 'unhandled_type',
    receivedAt: old,
  });
  await seed.insertEvent({
    ...base,
    id: 'evt_new_ignored',
    status: 'ignored',
    ignoredReason: 'unhandled_type',
    receivedAt: Date.now(),
  });
  await seed.close();

  const kept = await startTestService({ IDV_EVENT_RETENTION_DAYS: '7' }, { dbPath });
  try {
    await waitFor(async () => ((await kept.store.getEvent('evt_old_ignored')) === null ? true : undefined));
    expect(await kept.store.getEvent('evt_new_ignored')).toMatchObject({ status: 'ignored' });
  } finally {
    await kept.stop();
    temp.cleanup();
  }
});

it('warns at start-up when live mode runs without an encryption key', async () => {
  const live = await startTestService({ IDV_LIVEMODE: 'true' });
  try {
    expect(live.logs.some((l) => /live mode without IDV_ENCRYPTION_KEYS/.test(String(l.msg)))).toBe(true);
  } finally {
    await live.stop();
  }
  expect(service.logs.some((l) => /live mode without/.test(String(l.msg)))).toBe(false);
});

/**
 * A SQLite worker round writes a subject's session and subject rows once, however many of its events the
 * round applies (src/store/sqlite/coalesced-round.ts). That must not change a single stored value: the
 * same events, in the same order, are applied by the real worker on two SQLite files — as a backlog in one
 * round, and each as it arrives in a round of its own — and every table the worker writes must hold the
 * same rows.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, KNOWN_ERROR_CODES } from '../../src/domain/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { classifyEvent, parseEnvelope } from '../../src/stripe/envelope.js';
import { EventWorker } from '../../src/worker/event-worker.js';
import { sessionEvents } from '../domain/fixtures.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir('idv-coalesced-');
afterAll(() => temp.cleanup());
const NOW = 2_000_000_000_000;
let serial = 0;

type Submission = { verified: true } | { verified: false; code: string };
interface SessionPlan {
  link: 'metadata' | 'client_reference_id';
  submissions: Submission[];
  cancel: boolean;
  redact: boolean;
  /** Stripe's `provided_details.email` on the events after `created` (the subject's address). */
  email: boolean;
}

const submissionArb: fc.Arbitrary<Submission> = fc.oneof(
  fc.constant({ verified: true as const }),
  fc.record({ verified: fc.constant(false as const), code: fc.constantFrom(...KNOWN_ERROR_CODES) }),
);
const sessionArb: fc.Arbitrary<SessionPlan> = fc.record({
  link: fc.constantFrom('metadata' as const, 'client_reference_id' as const),
  submissions: fc.array(submissionArb, { maxLength: 3 }),
  cancel: fc.boolean(),
  redact: fc.boolean(),
  email: fc.boolean(),
});
/** Subjects with one or two sessions each, and a shuffle key per event (equal keys keep lifecycle order). */
const scenarioArb = fc.record({
  subjects: fc.array(fc.array(sessionArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
  keys: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
  repeats: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function payloadsOf(scenario: Scenario): unknown[] {
  const lifecycle: unknown[] = [];
  scenario.subjects.forEach((sessions, si) => {
    const ref = `user_${si}`;
    sessions.forEach((plan, vi) => {
      const link = plan.link === 'metadata' ? { userId: ref } : { userId: null, clientRef: ref };
      const s = sessionEvents(`vs_${si}_${vi}`, link.userId, 1_000);
      let t = 1_000 + vi * 100;
      const extra = 'clientRef' in link ? { clientRef: link.clientRef } : {};
      const first = lifecycle.length;
      lifecycle.push(s.created(t++, extra));
      let verified = false;
      for (const [i, sub] of plan.submissions.entries()) {
        lifecycle.push(s.processing(t++, extra));
        if (sub.verified) {
          lifecycle.push(s.verified(t++, { report: `vr_${si}_${vi}_${i}`, ...extra }));
          verified = true;
          break;
        }
        lifecycle.push(s.failed(t++, sub.code, `vr_${si}_${vi}_${i}`, extra));
      }
      if (!verified && plan.cancel) lifecycle.push(s.canceled(t++, extra));
      if (plan.redact && (verified || plan.cancel)) {
        lifecycle.push(s.redacted(t, { status: verified ? 'verified' : 'canceled', ...extra }));
      }
      if (plan.email) for (const p of lifecycle.slice(first + 1)) withEmail(p, `${si}_${vi}@example.test`);
    });
  });
  // A partial shuffle, and some events delivered twice: the worker's input as Stripe makes it.
  const keyed = lifecycle.map((p, i) => ({ p, key: scenario.keys[i % scenario.keys.length]!, i }));
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  return keyed.flatMap(({ p }, i) => (scenario.repeats[i % scenario.repeats.length] ? [p, p] : [p]));
}

function withEmail(payload: unknown, email: string): void {
  const object = (payload as { data: { object: Record<string, unknown> } }).data.object;
  if (object.redaction === null) object.provided_details = { email };
}

/**
 * Applies `payloads` with the real worker: `'backlog'` stores them all, then applies them in one round;
 * `'arriving'` applies each as it arrives (stored, then a round of its own), as under light load.
 */
async function apply(payloads: unknown[], mode: 'backlog' | 'arriving', setupSql?: string): Promise<string> {
  const filename = join(temp.dir, `idv-${++serial}.db`);
  const store = new SqliteStore({ filename, clock: () => NOW });
  try {
    await store.migrate();
    if (setupSql) withDb(filename, (db) => db.exec(setupSql), false);
    const worker = new EventWorker({
      store,
      policy: DEFAULT_POLICY,
      logger: pino({ level: 'silent' }),
      clock: () => NOW,
      pollIntervalMs: 60_000,
      leaseMs: 60_000,
      batchSize: 500,
      maxEventAttempts: 1,
    });
    const receive = (payload: unknown, i: number) => {
      const envelope = parseEnvelope(Buffer.from(JSON.stringify(payload)));
      const { unprocessable: _u, ...columns } = envelope;
      return store.insertEvent({
        ...columns,
        ...classifyEvent(envelope, 'any'),
        id: `${envelope.id}.${i}`,
        receivedAt: i,
      });
    };
    if (mode === 'backlog') {
      await Promise.all(payloads.map(receive));
      expect(await worker.runOnce()).toBe(payloads.length);
    } else {
      for (const [i, payload] of payloads.entries()) {
        await receive(payload, i);
        expect(await worker.runOnce()).toBe(1);
      }
    }
    expect((await store.countBacklog()).events).toEqual({ pending: 0, failed: 0, dead: 0 });
  } finally {
    await store.close();
  }
  return filename;
}

/** Every row the worker writes, without review ids (random by design). */
function dump(filename: string): Record<string, unknown[]> {
  return withDb(filename, (db) => {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      events: all('SELECT id, status, attempts, processed_at, last_error, payload FROM events ORDER BY id'),
      sessions: all('SELECT * FROM sessions ORDER BY id'),
      subjects: all('SELECT * FROM subjects ORDER BY ref'),
      history: all('SELECT * FROM history ORDER BY id'),
      subjectCodes: all('SELECT * FROM subject_codes ORDER BY subject_ref, code'),
      outbox: all('SELECT * FROM outbox ORDER BY id'),
      reviews:
        all(`SELECT subject_ref, status, topic, reason, cause_key, session_id, opened_at, decided_at, note
        FROM reviews ORDER BY opened_at, cause_key`),
    };
  });
}

function withDb<T>(filename: string, use: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(filename, { readonly });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** Counts the writes of the session and subject rows (an upsert that updates fires the UPDATE trigger). */
const COUNT_ROW_WRITES = `
  CREATE TABLE row_writes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO row_writes VALUES ('sessions', 0), ('subjects', 0);
  CREATE TRIGGER sessions_inserted AFTER INSERT ON sessions BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = 'sessions'; END;
  CREATE TRIGGER sessions_updated AFTER UPDATE ON sessions BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = 'sessions'; END;
  CREATE TRIGGER subjects_inserted AFTER INSERT ON subjects BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = 'subjects'; END;
  CREATE TRIGGER subjects_updated AFTER UPDATE ON subjects BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = 'subjects'; END;`;

function rowWrites(filename: string): Record<string, number> {
  return withDb(filename, (db) =>
    Object.fromEntries(
      (db.prepare('SELECT tbl, n FROM row_writes').all() as { tbl: string; n: number }[]).map((r) => [
        r.tbl,
        r.n,
      ]),
    ),
  );
}

describe('a worker round coalesces a subject’s writes', () => {
  it('stores exactly what applying each event as it arrives stores', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const payloads = payloadsOf(scenario);
        const together = dump(await apply(payloads, 'backlog'));
        const apart = dump(await apply(payloads, 'arriving'));
        expect(together).toEqual(apart);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('writes a session and its subject once for a lifecycle applied in one round, once per event apart', async () => {
    const s = sessionEvents('vs_once', 'user_once', 1_000);
    const payloads = [s.created(1_000), s.processing(1_001), s.verified(1_002, { report: 'vr_once' })];
    const together = await apply(payloads, 'backlog', COUNT_ROW_WRITES);
    expect(rowWrites(together)).toEqual({ sessions: 1, subjects: 1 });
    const apart = await apply(payloads, 'arriving', COUNT_ROW_WRITES);
    expect(rowWrites(apart)).toEqual({ sessions: 3, subjects: 3 });
    expect(withDb(together, (db) => db.prepare('SELECT state FROM subjects').get())).toEqual({
      state: 'verified',
    });
  });
});

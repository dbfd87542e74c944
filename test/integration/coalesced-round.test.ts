/**
 * A worker round writes a subject's session and subject rows once, however many of its events it applies
 * (src/store/round-cache.ts: SQLite's whole round, PostgreSQL's transaction per session). That must not
 * change a single stored value: the same events, in the same order, are applied by the real worker on two
 * databases of one adapter — as a backlog in one round, and each as it arrives in a round of its own — and
 * every table the worker writes must hold the same rows.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, KNOWN_ERROR_CODES } from '../../src/domain/index.js';
import { classifyEvent, parseEnvelope } from '../../src/stripe/envelope.js';
import { EventWorker } from '../../src/worker/event-worker.js';
import { claimThenApply } from '../../src/store/claim-then-apply.js';
import type { Store } from '../../src/store/store.js';
import { ADAPTERS, type AdapterFactory, type TestDatabase } from '../contract/adapters.js';
import { sessionEvents } from '../domain/fixtures.js';

const NOW = 2_000_000_000_000;

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
/**
 * Subjects with up to `sessions` sessions each, and a shuffle key per event (equal keys keep lifecycle
 * order). PostgreSQL applies a batch's sessions on parallel connections, so two sessions of one subject
 * take its lock in either order there; its leg keeps one session per subject to stay deterministic.
 */
const scenarioArb = (sessions: number) =>
  fc.record({
    subjects: fc.array(fc.array(sessionArb, { minLength: 1, maxLength: sessions }), {
      minLength: 1,
      maxLength: 4,
    }),
    keys: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
    repeats: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
  });
type Scenario = ReturnType<typeof scenarioArb> extends fc.Arbitrary<infer T> ? T : never;

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
 * Applies `payloads` with the real worker on `db`: `'backlog'` stores them all, then applies them in one
 * round; `'arriving'` applies each as it arrives (stored, then a round of its own), as under light load.
 */
async function apply(db: TestDatabase, payloads: unknown[], mode: 'backlog' | 'arriving', setupSql?: string) {
  const store = db.open();
  // The baseline writes every change as it comes: the two-step round (claim, then applyEvents) uses no
  // round cache on either store, and a round of one event makes a PostgreSQL group of one.
  const rounds: Pick<Store, 'processDueEvents'> =
    mode === 'backlog'
      ? store
      : { processDueEvents: (options, prepare) => claimThenApply(store, options, prepare) };
  try {
    await store.migrate();
    if (setupSql) await db.exec(setupSql);
    const worker = new EventWorker({
      store: Object.assign(Object.create(store) as Store, rounds),
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
}

/**
 * Every row the worker writes, without review ids (random by design). History and reactions are read per
 * subject in the order written, without their serial ids: PostgreSQL applies subjects on parallel
 * connections, so two subjects' rows interleave in either order.
 */
async function dump(db: TestDatabase): Promise<Record<string, unknown[]>> {
  return {
    events: await db.rows(
      'SELECT id, status, attempts, processed_at, last_error, payload FROM events ORDER BY id',
    ),
    sessions: await db.rows('SELECT * FROM sessions ORDER BY id'),
    subjects: await db.rows('SELECT * FROM subjects ORDER BY ref'),
    history: withoutIds(await db.rows('SELECT * FROM history ORDER BY subject_ref, id')),
    subjectCodes: await db.rows('SELECT * FROM subject_codes ORDER BY subject_ref, code'),
    outbox: withoutIds(await db.rows('SELECT * FROM outbox ORDER BY subject_ref, id')),
    reviews:
      await db.rows(`SELECT subject_ref, status, topic, reason, cause_key, session_id, opened_at, decided_at, note
      FROM reviews ORDER BY opened_at, cause_key`),
  };
}

function withoutIds(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ id: _id, ...rest }) => rest);
}

/** The rows `payloads` leave in a fresh database of `adapter`, applied in `mode`. */
async function appliedRows(
  adapter: AdapterFactory,
  payloads: unknown[],
  mode: 'backlog' | 'arriving',
): Promise<Record<string, unknown[]>> {
  const db = await adapter.createDatabase();
  try {
    await apply(db, payloads, mode);
    return await dump(db);
  } finally {
    await db.drop();
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

/** The same count on PostgreSQL (an upsert fires the INSERT or the UPDATE trigger, once). */
const PG_COUNT_ROW_WRITES = `
  CREATE TABLE row_writes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO row_writes VALUES ('sessions', 0), ('subjects', 0);
  CREATE FUNCTION count_row_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = TG_TABLE_NAME; RETURN NULL; END $$;
  CREATE TRIGGER sessions_written AFTER INSERT OR UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION count_row_write();
  CREATE TRIGGER subjects_written AFTER INSERT OR UPDATE ON subjects FOR EACH ROW EXECUTE FUNCTION count_row_write();`;

for (const adapter of ADAPTERS) {
  describe(`a worker round coalesces a subject’s writes (${adapter.name})`, async () => {
    const skip = await adapter.skip();
    it.skipIf(skip)(
      'stores exactly what applying each event as it arrives stores',
      async () => {
        await fc.assert(
          fc.asyncProperty(scenarioArb(adapter.name === 'sqlite' ? 2 : 1), async (scenario) => {
            const payloads = payloadsOf(scenario);
            const together = await appliedRows(adapter, payloads, 'backlog');
            const apart = await appliedRows(adapter, payloads, 'arriving');
            expect(together).toEqual(apart);
          }),
          { numRuns: adapter.name === 'sqlite' ? 40 : 10 },
        );
      },
      180_000,
    );
  });
}

for (const adapter of ADAPTERS) {
  describe(`a round’s row writes (${adapter.name})`, async () => {
    const skip = await adapter.skip();
    it.skipIf(skip)(
      'writes a session and its subject once for a lifecycle applied in one round, once per event apart',
      async () => {
        const s = sessionEvents('vs_once', 'user_once', 1_000);
        const payloads = [s.created(1_000), s.processing(1_001), s.verified(1_002, { report: 'vr_once' })];
        const writes = async (mode: 'backlog' | 'arriving') => {
          const db = await adapter.createDatabase();
          try {
            await apply(
              db,
              payloads,
              mode,
              adapter.name === 'sqlite' ? COUNT_ROW_WRITES : PG_COUNT_ROW_WRITES,
            );
            const counts = await db.rows('SELECT tbl, n FROM row_writes');
            return {
              counts: Object.fromEntries(counts.map((r) => [r.tbl, r.n])),
              state: await db.rows('SELECT state FROM subjects'),
            };
          } finally {
            await db.drop();
          }
        };
        expect(await writes('backlog')).toEqual({
          counts: { sessions: 1, subjects: 1 },
          state: [{ state: 'verified' }],
        });
        expect((await writes('arriving')).counts).toEqual({ sessions: 3, subjects: 3 });
      },
    );
  });
}

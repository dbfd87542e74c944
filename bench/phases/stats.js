/**
 * Insights cost: GET /admin/api/stats's figures (statsAnswer of dist/, the route's own code without HTTP)
 * timed on 10,000 and 100,000 subjects, on SQLite and PostgreSQL, in one run. The databases are seeded with
 * rows shaped like the worker writes them (subjects with their view, sessions with failed submissions,
 * history, review cases with the audit lines of their decisions, outbox reactions), spread over 90 days, so a
 * 30-day page covers a third of them. Seeding goes straight to SQL: pushing 100,000 subjects through the
 * worker would time the worker, not the stats.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { median } from '../lib/stats.js';
import { PG_BASE_URL, createPgSchema, dropPgSchema } from '../lib/stores.js';
import { ROOT } from '../lib/targets.js';

const DAY = 86_400_000;
const SPAN_DAYS = 90;
const CODES = ['document_expired', 'selfie_face_mismatch', 'document_unverified_other', 'id_number_mismatch'];

/** Deterministic pseudo-random numbers (mulberry32), so both stores and every run get the same rows. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows per table for `count` subjects first recorded in the `SPAN_DAYS` before `end`. */
export function* subjectRows(count, end) {
  const rand = random(count);
  for (let i = 0; i < count; i++) {
    const ref = `bench_${String(i).padStart(7, '0')}`;
    const created = Math.floor(end - rand() * SPAN_DAYS * DAY);
    const r = rand();
    const state =
      r < 0.6
        ? 'verified'
        : r < 0.75
          ? 'retry_required'
          : r < 0.83
            ? 'in_review'
            : r < 0.86
              ? 'rejected'
              : r < 0.9
                ? 'canceled'
                : 'pending';
    const used =
      state === 'in_review'
        ? 3
        : state === 'pending' || state === 'canceled'
          ? 0
          : Math.floor(rand() ** 2 * 3);
    const sessions = [];
    const history = [{ at: created, from: null, to: 'pending' }];
    let t = created;
    for (let s = 0; s <= used; s++) {
      const failed = s < used || state === 'retry_required' || state === 'rejected';
      const code = CODES[Math.floor(rand() * CODES.length)];
      t += Math.floor(rand() * 3_600_000);
      history.push({ at: t, from: history.at(-1).to, to: 'processing' });
      const failures = failed
        ? [{ key: `vr_${ref}_${s}`, code, reason: null, at: Math.floor(t / 1000) }]
        : [];
      sessions.push({
        id: `vs_${ref}_${s}`,
        status: failed ? 'requires_input' : state === 'verified' ? 'verified' : 'requires_input',
        record: {
          id: `vs_${ref}_${s}`,
          subjectRef: ref,
          status: failed ? 'requires_input' : state,
          created: Math.floor(t / 1000),
          failures,
        },
        created: t,
      });
      t += Math.floor(rand() * 600_000);
      if (failed && s < used) history.push({ at: t, from: 'processing', to: 'retry_required' });
    }
    if (state !== 'pending') history.push({ at: t, from: history.at(-1).to, to: state });
    const lastCode = sessions.at(-1).record.failures[0]?.code ?? null;
    const view = {
      ref,
      state,
      attempts: { used, max: 3, left: Math.max(0, 3 - used) },
      cause: {
        key: `${state}:${ref}`,
        reason: 'bench',
        sessionId: null,
        lastError: lastCode ? { code: lastCode, reason: null } : null,
      },
    };
    const reviews = [];
    const audit = [];
    if (state === 'in_review') reviews.push({ id: `rev_${ref}`, status: 'open', opened: t, decided: null });
    else if (rand() < 0.05) {
      const status = state === 'rejected' ? 'rejected' : 'approved';
      reviews.push({ id: `rev_${ref}`, status, opened: t - 3_600_000, decided: t });
      audit.push({
        at: t,
        actorId: `op_${Math.floor(rand() * 5)}`,
        action: `review.${status === 'approved' ? 'approve' : 'reject'}`,
        target: `rev_${ref}`,
      });
    }
    const outbox = ['email', 'callback'].map((kind) => {
      const o = rand();
      return {
        key: `${ref}:${kind}`,
        kind,
        status: o < 0.01 ? 'dead' : o < 0.02 ? 'failed' : 'done',
        created: t,
      };
    });
    // The insights columns as the worker writes them (domain/subject-facts.ts, migration 010).
    const submittedStates = ['processing', 'retry_required', 'in_review', 'verified', 'rejected'];
    const firstAt = (pick) =>
      history.filter(pick).reduce((m, h) => (m === null || h.at < m ? h.at : m), null);
    const facts = [
      firstAt((h) => submittedStates.includes(h.to)),
      firstAt((h) => h.to === 'verified'),
      view.attempts.used,
      view.attempts.left,
    ];
    const codes = new Map();
    for (const x of sessions)
      for (const f of x.record.failures) codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
    yield {
      ref,
      state,
      view,
      facts,
      codes: [...codes],
      created,
      updated: t,
      sessions,
      history,
      reviews,
      audit,
      outbox,
    };
  }
}

export function seedSqlite(file, count, end) {
  const db = new Database(file);
  const ins = {
    subject: db.prepare(
      `INSERT INTO subjects (ref, state, view, announcements, created_at, updated_at, first_submitted_at,
         verified_at, attempts_used, attempts_left) VALUES (?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)`,
    ),
    code: db.prepare(`INSERT INTO subject_codes (subject_ref, code, submissions) VALUES (?, ?, ?)`),
    session: db.prepare(
      `INSERT INTO sessions (id, subject_ref, status, record, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    history: db.prepare(
      `INSERT INTO history (subject_ref, at, from_state, to_state, reason, decision, cause_key) VALUES (?, ?, ?, ?, 'bench', 'bench', 'bench')`,
    ),
    review: db.prepare(
      `INSERT INTO reviews (id, subject_ref, status, topic, reason, cause_key, opened_at, decided_at) VALUES (?, ?, ?, 'review', 'bench', ?, ?, ?)`,
    ),
    audit: db.prepare(
      `INSERT INTO audit (at, actor, actor_id, action, subject_ref, target) VALUES (?, 'bench', ?, ?, ?, ?)`,
    ),
    outbox: db.prepare(
      `INSERT INTO outbox (idempotency_key, kind, topic, subject_ref, payload, status, next_attempt_at, created_at) VALUES (?, ?, 'bench', ?, '{}', ?, ?, ?)`,
    ),
  };
  db.transaction(() => {
    for (const s of subjectRows(count, end)) {
      ins.subject.run(s.ref, s.state, JSON.stringify(s.view), s.created, s.updated, ...s.facts);
      for (const [code, n] of s.codes) ins.code.run(s.ref, code, n);
      for (const x of s.sessions)
        ins.session.run(x.id, s.ref, x.status, JSON.stringify(x.record), x.created, x.created);
      for (const h of s.history) ins.history.run(s.ref, h.at, h.from, h.to);
      for (const r of s.reviews) ins.review.run(r.id, s.ref, r.status, r.id, r.opened, r.decided);
      for (const a of s.audit) ins.audit.run(a.at, a.actorId, a.action, s.ref, a.target);
      for (const o of s.outbox) ins.outbox.run(o.key, o.kind, s.ref, o.status, o.created, o.created);
    }
  })();
  db.exec('ANALYZE');
  db.close();
}

/** Inserts `rows` (arrays of columns) with one statement per chunk, through unnest. */
async function pgInsert(client, table, columns, types, rows) {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c]));
    const params = types.map((t, c) => `$${c + 1}::${t}[]`).join(', ');
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${params})`,
      arrays,
    );
  }
}

export async function seedPostgres(url, count, end) {
  const rows = { subjects: [], codes: [], sessions: [], history: [], reviews: [], audit: [], outbox: [] };
  for (const s of subjectRows(count, end)) {
    rows.subjects.push([s.ref, s.state, JSON.stringify(s.view), '{}', s.created, s.updated, ...s.facts]);
    for (const [code, n] of s.codes) rows.codes.push([s.ref, code, n]);
    for (const x of s.sessions)
      rows.sessions.push([x.id, s.ref, x.status, JSON.stringify(x.record), x.created, x.created]);
    for (const h of s.history) rows.history.push([s.ref, h.at, h.from, h.to, 'bench', 'bench', 'bench']);
    for (const r of s.reviews)
      rows.reviews.push([r.id, s.ref, r.status, 'review', 'bench', r.id, r.opened, r.decided]);
    for (const a of s.audit) rows.audit.push([a.at, 'bench', a.actorId, a.action, s.ref, a.target]);
    for (const o of s.outbox)
      rows.outbox.push([o.key, o.kind, 'bench', s.ref, '{}', o.status, o.created, o.created]);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await pgInsert(
      client,
      'subjects',
      [
        'ref',
        'state',
        'view',
        'announcements',
        'created_at',
        'updated_at',
        'first_submitted_at',
        'verified_at',
        'attempts_used',
        'attempts_left',
      ],
      ['text', 'text', 'json', 'json', 'bigint', 'bigint', 'bigint', 'bigint', 'int', 'int'],
      rows.subjects,
    );
    await pgInsert(
      client,
      'subject_codes',
      ['subject_ref', 'code', 'submissions'],
      ['text', 'text', 'int'],
      rows.codes,
    );
    await pgInsert(
      client,
      'sessions',
      ['id', 'subject_ref', 'status', 'record', 'created_at', 'updated_at'],
      ['text', 'text', 'text', 'json', 'bigint', 'bigint'],
      rows.sessions,
    );
    await pgInsert(
      client,
      'history',
      ['subject_ref', 'at', 'from_state', 'to_state', 'reason', 'decision', 'cause_key'],
      ['text', 'bigint', 'text', 'text', 'text', 'text', 'text'],
      rows.history,
    );
    await pgInsert(
      client,
      'reviews',
      ['id', 'subject_ref', 'status', 'topic', 'reason', 'cause_key', 'opened_at', 'decided_at'],
      ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint'],
      rows.reviews,
    );
    await pgInsert(
      client,
      'audit',
      ['at', 'actor', 'actor_id', 'action', 'subject_ref', 'target'],
      ['bigint', 'text', 'text', 'text', 'text', 'text'],
      rows.audit,
    );
    await pgInsert(
      client,
      'outbox',
      [
        'idempotency_key',
        'kind',
        'topic',
        'subject_ref',
        'payload',
        'status',
        'next_attempt_at',
        'created_at',
      ],
      ['text', 'text', 'text', 'text', 'json', 'text', 'bigint', 'bigint'],
      rows.outbox,
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** Median milliseconds of `runs` calls after one warm-up, and the last answer. */
async function timed(fn, runs) {
  let answer = await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    answer = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), values: ms, answer };
}

async function measure(store, end, runs) {
  const { statsAnswer } = await import(join(ROOT, 'dist/http/stats-report.js'));
  const to = new Date(end).toISOString();
  const page = (days, interval) => () =>
    statsAnswer(
      store,
      { from: new Date(end - days * DAY).toISOString(), to, interval, tz: 'Europe/Paris' },
      end,
    );
  const thirty = await timed(page(30, 'day'), runs);
  const all = await timed(page(SPAN_DAYS + 1, 'day'), runs);
  const hourly = await timed(page(7, 'hour'), runs);
  return {
    thirtyDayMs: thirty.ms,
    thirtyDayValues: thirty.values,
    thirtyDaySubjects: thirty.answer.funnel.started,
    allMs: all.ms,
    allSubjects: all.answer.funnel.started,
    sevenDayHourlyMs: hourly.ms,
  };
}

async function sqliteLeg(tmp, count, end, runs) {
  const { SqliteStore } = await import(join(ROOT, 'dist/store/sqlite/sqlite-store.js'));
  const file = join(tmp, `stats-${count}.db`);
  const setup = new SqliteStore({ filename: file });
  await setup.migrate();
  await setup.close();
  const t0 = performance.now();
  seedSqlite(file, count, end);
  const seedSeconds = (performance.now() - t0) / 1000;
  const store = new SqliteStore({ filename: file });
  try {
    return { store: 'sqlite', subjects: count, seedSeconds, ...(await measure(store, end, runs)) };
  } finally {
    await store.close();
  }
}

async function postgresLeg(count, end, runs) {
  const { PostgresStore } = await import(join(ROOT, 'dist/store/postgres/postgres-store.js'));
  const { parsePostgresUrl } = await import(join(ROOT, 'dist/store/postgres/connection.js'));
  const name = `idv_bench_stats_${count}_${process.pid}`;
  const schema = await createPgSchema(name);
  const store = new PostgresStore({
    connection: parsePostgresUrl(`${PG_BASE_URL}?schema=${name}`),
    poolSize: 2,
  });
  try {
    await store.migrate();
    const t0 = performance.now();
    await seedPostgres(schema.url, count, end);
    const seedSeconds = (performance.now() - t0) / 1000;
    return { store: 'postgres', subjects: count, seedSeconds, ...(await measure(store, end, runs)) };
  } finally {
    await store.close();
    await dropPgSchema(name);
  }
}

/** Both stores, both sizes; the ratio is the larger size's 30-day page over the smaller's. */
export async function statsBench(
  ctx,
  { sizes = [10_000, 100_000], runs = 5, postgres = true, log = () => {} } = {},
) {
  const end = Date.parse('2026-12-01T00:00:00Z');
  const rows = [];
  for (const leg of postgres ? ['sqlite', 'postgres'] : ['sqlite']) {
    for (const count of sizes) {
      const row =
        leg === 'sqlite' ? await sqliteLeg(ctx.tmp, count, end, runs) : await postgresLeg(count, end, runs);
      rows.push(row);
      log(
        `  ${leg.padEnd(8)} ${String(count).padStart(7)} subjects: 30-day page ${row.thirtyDayMs.toFixed(1)} ms ` +
          `(${row.thirtyDaySubjects} subjects), all ${SPAN_DAYS} days ${row.allMs.toFixed(1)} ms, 7 days hourly ` +
          `${row.sevenDayHourlyMs.toFixed(1)} ms (seeded in ${row.seedSeconds.toFixed(1)} s)`,
      );
    }
  }
  const ratios = {};
  for (const leg of new Set(rows.map((r) => r.store))) {
    const mine = rows.filter((r) => r.store === leg).sort((a, b) => a.subjects - b.subjects);
    ratios[leg] = mine.at(-1).thirtyDayMs / mine[0].thirtyDayMs;
    log(
      `  ${leg}: ${mine.at(-1).subjects} / ${mine[0].subjects} subjects costs ${ratios[leg].toFixed(1)}× (target ≤ 12×)`,
    );
  }
  return { rows, ratios, runs, spanDays: SPAN_DAYS };
}

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { spawnIdv } from '../helpers/child.js';
import { WEBHOOK_SECRET } from '../helpers/service.js';
import { postSigned, sessionEvent } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

const T0 = Math.floor(Date.now() / 1000) - 7200;
const type = (t: string) => `identity.verification_session.${t}`;

/** Four kinds of users, with the state each must end in. */
function scenario(i: number): { ref: string; events: Record<string, unknown>[]; expected: string } {
  const ref = `crash_user_${i}`;
  const vs = (n: number) => `vs_crash_${i}_${n}`;
  const at = (k: number) => T0 + k;
  switch (i % 4) {
    case 0:
      return {
        ref,
        expected: 'verified',
        events: [
          sessionEvent({ type: type('processing'), sessionId: vs(0), subject: ref, created: at(0) }),
          sessionEvent({ type: type('verified'), sessionId: vs(0), subject: ref, created: at(1) }),
        ],
      };
    case 1:
      return {
        ref,
        expected: 'retry_required',
        events: [
          sessionEvent({ type: type('processing'), sessionId: vs(0), subject: ref, created: at(0) }),
          sessionEvent({
            type: type('requires_input'),
            sessionId: vs(0),
            subject: ref,
            code: 'document_expired',
            created: at(1),
          }),
        ],
      };
    case 2:
      return {
        ref,
        expected: 'in_review',
        events: [
          sessionEvent({
            type: type('requires_input'),
            sessionId: vs(0),
            subject: ref,
            code: 'selfie_manipulated',
            created: at(0),
          }),
        ],
      };
    default:
      return {
        ref,
        expected: 'in_review',
        events: [0, 1, 2].map((n) =>
          sessionEvent({
            type: type('requires_input'),
            sessionId: vs(n),
            subject: ref,
            code: 'document_unverified_other',
            created: at(n * 10),
          }),
        ),
      };
  }
}

it('a worker killed mid-batch leaves no half-written state, and every event is processed after restart', async () => {
  const dbPath = join(temp.dir, 'idv.db');
  const base = { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, IDV_DATABASE_URL: `sqlite:${dbPath}` };
  const users = Array.from({ length: 1000 }, (_, i) => scenario(i));
  const events = users.flatMap((u) => u.events);

  // 1. A receiver-only process stores every event.
  const receiver = await spawnIdv(['serve', '--port', '0', '--role', 'receiver'], base);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < events.length) {
        const res = await postSigned(receiver.url, events[next++]!, WEBHOOK_SECRET);
        expect(res.status).toBe(200);
      }
    }),
  );
  receiver.proc.kill('SIGTERM');
  await receiver.exited;

  // 2. A worker starts on the backlog and is killed while it is working through it.
  const workerEnv = { ...base, IDV_WORKER_BATCH: '5', IDV_WORKER_LEASE_MS: '1000' };
  const worker = await spawnIdv(['serve', '--port', '0', '--role', 'worker'], workerEnv);
  const db = new Database(dbPath, { readonly: true });
  const count = (status: string) =>
    (db.prepare('SELECT count(*) AS n FROM events WHERE status = ?').get(status) as { n: number }).n;
  await waitFor(
    () => (count('processed') > events.length / 10 ? true : undefined),
    20_000,
    'the worker to be busy',
  );
  worker.proc.kill('SIGKILL');
  await worker.exited;
  const processedAtKill = count('processed');
  expect(processedAtKill).toBeLessThan(events.length);

  // No half-written state: each subject's state is the last step of its history, and the chain is unbroken.
  const checkConsistency = () => {
    const subjects = db.prepare('SELECT ref, state FROM subjects').all() as { ref: string; state: string }[];
    const historyOf = db.prepare(
      'SELECT from_state, to_state FROM history WHERE subject_ref = ? ORDER BY id',
    );
    for (const s of subjects) {
      const steps = historyOf.all(s.ref) as { from_state: string | null; to_state: string }[];
      expect(steps.at(-1)?.to_state, s.ref).toBe(s.state);
      steps.forEach((step, k) =>
        expect(step.from_state, `${s.ref} step ${k}`).toBe(k === 0 ? null : steps[k - 1]!.to_state),
      );
    }
  };
  checkConsistency();

  // 3. After a restart, every event is processed once the dead worker's leases expire.
  const restarted = await spawnIdv(['serve', '--port', '0', '--role', 'worker'], workerEnv);
  try {
    await waitFor(
      () => (count('processed') === events.length ? true : undefined),
      30_000,
      'all events processed',
    );
    checkConsistency();
    const states = new Map(
      (db.prepare('SELECT ref, state FROM subjects').all() as { ref: string; state: string }[]).map((r) => [
        r.ref,
        r.state,
      ]),
    );
    expect(
      users.filter((u) => states.get(u.ref) !== u.expected).map((u) => `${u.ref}: ${states.get(u.ref)}`),
    ).toEqual([]);
  } finally {
    db.close();
    restarted.proc.kill('SIGTERM');
    await restarted.exited;
  }
}, 90_000);

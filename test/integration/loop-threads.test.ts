/**
 * `idv serve` with its worker and dispatcher on worker threads (IDV_LOOP_THREADS, the default on more than one
 * core): the events a receiver acknowledges are applied and announced exactly as in one thread, the threads'
 * counters reach /metrics, and a SIGTERM finishes everything in hand before the process exits.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { usesLoopThreads } from '../../src/main/loop-threads.js';
import { loadConfig } from '../../src/config/load.js';
import { spawnIdv } from '../helpers/child.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';
import { startMailSink } from '../reactions/helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

function counter(metrics: string, line: string): number {
  const found = metrics.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

it('applies and announces every event once with the loops on their own threads, and stops cleanly', async () => {
  const mail = await startMailSink();
  const dbPath = join(temp.dir, 'threads.db');
  const child = await spawnIdv(['serve', '--port', '0'], {
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    IDV_DATABASE_URL: `sqlite:${dbPath}`,
    IDV_ADMIN_TOKEN: ADMIN_TOKEN,
    IDV_LOOP_THREADS: 'on',
    SMTP_URL: mail.url,
  });
  try {
    await waitFor(
      () => (child.output().includes('worker and dispatcher run on their own threads') ? true : undefined),
      20_000,
      'the loop threads',
    );
    const users = Array.from({ length: 12 }, (_, i) => `thread_user_${i}`);
    for (const ref of users) {
      const sessionId = uniqueId('vs');
      const verified = sessionEvent({
        type: 'identity.verification_session.verified',
        sessionId,
        subject: ref,
        email: `${ref}@example.com`,
      });
      expect((await postSigned(child.url, verified, WEBHOOK_SECRET)).status).toBe(200);
      // Stripe delivers at least once: a repeat must not announce twice.
      expect((await postSigned(child.url, verified, WEBHOOK_SECRET)).status).toBe(200);
    }
    await waitFor(() => (mail.mails.length >= users.length ? true : undefined), 20_000, 'every email');
    const metrics = await waitFor(
      async () => {
        const text = await (
          await fetch(`${child.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        ).text();
        // The threads hand their counts over in batches: wait for the last one.
        return counter(text, 'idv_reactions_total{kind="email",outcome="done"}') === users.length
          ? text
          : undefined;
      },
      10_000,
      'the threads’ counters in /metrics',
    );
    expect(counter(metrics, 'idv_events_processed_total')).toBe(users.length);
    // Latency histograms: the receiver's own, and the threads' forwarded ones.
    expect(counter(metrics, 'idv_webhook_answer_seconds_count{outcome="pending"}')).toBe(users.length);
    expect(counter(metrics, 'idv_webhook_answer_seconds_count{outcome="duplicate"}')).toBe(users.length);
    expect(counter(metrics, 'idv_event_lag_seconds_count')).toBe(users.length);
    expect(counter(metrics, 'idv_event_lag_seconds_bucket{le="+Inf"}')).toBe(users.length);
    expect(counter(metrics, 'idv_reaction_dispatch_seconds_count{kind="email",outcome="done"}')).toBe(
      users.length,
    );
    const recipients = mail.mails.flatMap((m) => m.to).sort();
    expect(recipients).toEqual(users.map((ref) => `${ref}@example.com`).sort());

    const subject = await fetch(`${child.url}/admin/api/subjects?state=verified`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await subject.json()) as { data: unknown[] }).data).toHaveLength(users.length);
  } finally {
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    await mail.close();
  }
  const db = new Database(dbPath, { readonly: true });
  try {
    const open = db.prepare(`SELECT count(*) AS n FROM outbox WHERE status NOT IN ('done', 'skipped')`).get();
    expect(open).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}, 60_000);

describe('when the loops get threads', () => {
  const config = (env: Record<string, string>) =>
    loadConfig([], { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ...env }, { requireWebhookSecret: true });

  it('auto: only with more than one core, for a process that runs every role', () => {
    expect(usesLoopThreads(config({}), 2)).toBe(true);
    expect(usesLoopThreads(config({}), 1)).toBe(false);
    expect(usesLoopThreads(config({ IDV_ROLE: 'receiver' }), 4)).toBe(false);
    expect(usesLoopThreads(config({ IDV_ROLE: 'worker' }), 4)).toBe(false);
  });

  it('on and off are obeyed, except where a second connection would see another database', () => {
    expect(usesLoopThreads(config({ IDV_LOOP_THREADS: 'on' }), 1)).toBe(true);
    expect(usesLoopThreads(config({ IDV_LOOP_THREADS: 'off' }), 8)).toBe(false);
    expect(usesLoopThreads(config({ IDV_LOOP_THREADS: 'on', IDV_DATABASE_URL: 'sqlite::memory:' }), 8)).toBe(
      false,
    );
  });

  it('names the variable when its value is not one of the three', () => {
    expect(() => config({ IDV_LOOP_THREADS: 'yes' })).toThrow(/IDV_LOOP_THREADS/);
  });
});

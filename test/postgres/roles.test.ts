/**
 * `idv serve --role receiver|worker|dispatcher` on PostgreSQL (DESIGN.md "Processes and flow"): each role
 * does its part of the flow and nothing else, and together, as separate processes, they do all of it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema, withAdminClient } from '../helpers/postgres.js';
import { WEBHOOK_SECRET } from '../helpers/service.js';
import { postSigned, sessionEvent, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import { ServiceProcesses } from './processes.js';

const skipReason = await skipPostgres();

describe.skipIf(skipReason)('--role on PostgreSQL', () => {
  const schema = uniqueSchema('idv_roles');
  const processes = new ServiceProcesses();
  const env = {
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    IDV_DATABASE_URL: schemaUrl(schema),
    IDV_WORKER_POLL_MS: '20',
    IDV_DISPATCH_POLL_MS: '20',
  };
  afterAll(async () => {
    await processes.stopAll();
    await dropSchema(schema);
  });

  const counts = (table: 'events' | 'outbox') =>
    withAdminClient(schema, async (client) => {
      const { rows } = await client.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM ${table} GROUP BY status ORDER BY status`,
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    });

  it('a receiver stores events and runs no worker; a worker applies them; a dispatcher runs the reactions', async () => {
    const receiver = await processes.start(env, ['--role', 'receiver']);
    const events = Array.from({ length: 20 }, () =>
      sessionEvent({
        type: 'identity.verification_session.requires_input',
        code: 'document_expired',
        sessionId: uniqueId('vs'),
        subject: uniqueId('user'),
      }),
    );
    for (const event of events)
      expect((await postSigned(receiver.url, event, WEBHOOK_SECRET)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await counts('events')).toEqual({ pending: 20 });
    expect(await counts('outbox')).toEqual({});

    await processes.start(env, ['--role', 'worker']);
    await waitFor(
      async () => ((await counts('events')).processed === 20 ? true : undefined),
      15_000,
      'events processed',
    );
    const queued = await counts('outbox');
    expect(Object.keys(queued)).toEqual(['pending']);

    await processes.start(env, ['--role', 'dispatcher']);
    // No SMTP and no callback URL configured: every reaction is skipped, with the reason, and none is left.
    await waitFor(
      async () => {
        const now = await counts('outbox');
        return now.pending === undefined ? now : undefined;
      },
      15_000,
      'reactions run',
    );
    expect(await counts('outbox')).toEqual({ skipped: queued.pending });
  }, 60_000);
});

/**
 * PostgreSQL goes away during a burst (a TCP proxy between the service and the server is cut; the shared
 * server itself keeps running for the other test files). While it is away the receiver answers 503 — never
 * 2xx — and /readyz is 503; the process does not crash. Once it is back the same process serves again without
 * a restart, and every event it acknowledged, before, during or after the outage, is processed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_BASE_URL,
  dropSchema,
  schemaUrl,
  skipPostgres,
  uniqueSchema,
  withAdminClient,
} from '../helpers/postgres.js';
import { WEBHOOK_SECRET } from '../helpers/service.js';
import { sessionEvent, signedRequest, uniqueId } from '../helpers/stripe-events.js';
import { waitFor } from '../helpers/wait.js';
import { ServiceProcesses, type ServiceProcess } from './processes.js';
import { TcpProxy } from './tcp-proxy.js';

const skipReason = await skipPostgres();

interface Attempt {
  id: string;
  status: number;
  startedAt: number;
  endedAt: number;
}

describe.skipIf(skipReason)('PostgreSQL outage during a burst', () => {
  const schema = uniqueSchema('idv_outage');
  const appName = `idv_outage_${schema.slice(-8)}`;
  const processes = new ServiceProcesses();
  let proxy: TcpProxy;
  let service: ServiceProcess;

  beforeAll(async () => {
    const target = new URL(PG_BASE_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const url = new URL(schemaUrl(schema));
    url.host = `127.0.0.1:${port}`;
    url.searchParams.set('application_name', appName);
    service = await processes.start({
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      IDV_DATABASE_URL: url.toString(),
      IDV_WORKER_POLL_MS: '20',
      // A worker cut off mid-event cannot record anything; its lease must expire soon for the test.
      IDV_WORKER_LEASE_MS: '2000',
    });
  }, 30_000);

  afterAll(async () => {
    await processes.stopAll();
    await proxy?.close();
    await dropSchema(schema);
  });

  async function post(body: string): Promise<number> {
    const signed = signedRequest(body, WEBHOOK_SECRET);
    try {
      const res = await fetch(`${service.url}/webhook`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  const readyz = async () => (await fetch(`${service.url}/readyz`)).status;

  it('answers 503 while PostgreSQL is unreachable, never 2xx, and loses nothing it acknowledged', async () => {
    const bodies = new Map<string, string>();
    const attempts: Attempt[] = [];
    let sending = true;
    const burst = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sending) {
          const event = sessionEvent({
            type: 'identity.verification_session.processing',
            sessionId: uniqueId('vs'),
            subject: uniqueId('user'),
          });
          const body = JSON.stringify(event);
          bodies.set(event.id as string, body);
          const startedAt = Date.now();
          const status = await post(body);
          attempts.push({ id: event.id as string, status, startedAt, endedAt: Date.now() });
          if (status !== 200) await new Promise((r) => setTimeout(r, 10));
        }
      }),
    );

    let cutAt = 0;
    let restoreAt = 0;
    let readyDuringOutage: number | undefined;
    let recoveredMs: number | undefined;
    try {
      const acksSince = (since: number) =>
        attempts.filter((a) => a.startedAt >= since && a.status === 200).length;
      // Under load the machine may be slow: wait for traffic rather than for a fixed time.
      await waitFor(
        () => (acksSince(0) >= 50 ? true : undefined),
        20_000,
        '50 events acknowledged before the outage',
      );
      expect(await readyz()).toBe(200);
      await proxy.cut();
      cutAt = Date.now();
      await new Promise((r) => setTimeout(r, 1_500));
      readyDuringOutage = await readyz();
      restoreAt = Date.now();
      await proxy.restore();
      await waitFor(
        async () => ((await readyz()) === 200 ? true : undefined),
        15_000,
        '/readyz 200 after the outage',
      );
      recoveredMs = Date.now() - restoreAt;
      await waitFor(
        () => (acksSince(restoreAt) >= 50 ? true : undefined),
        20_000,
        '50 events acknowledged after the outage',
      );
    } finally {
      sending = false;
      await burst;
    }

    const during = attempts.filter((a) => a.startedAt >= cutAt && a.endedAt <= restoreAt);
    const statusesDuring = [...new Set(during.map((a) => a.status))];
    expect(readyDuringOutage).toBe(503);
    expect(during.length).toBeGreaterThan(10);
    expect(statusesDuring).toEqual([503]);
    expect(attempts.filter((a) => a.startedAt < cutAt && a.status === 200).length).toBeGreaterThan(10);
    expect(attempts.filter((a) => a.startedAt > restoreAt && a.status === 200).length).toBeGreaterThan(10);
    expect(service.proc.exitCode).toBeNull();

    // Stripe retries what was not acknowledged; the service, never restarted, takes it now.
    const acknowledged = new Set(attempts.filter((a) => a.status === 200).map((a) => a.id));
    for (const id of bodies.keys()) {
      if (acknowledged.has(id)) continue;
      expect(await post(bodies.get(id)!)).toBe(200);
    }

    const processed = await waitFor(
      () =>
        withAdminClient(schema, async (client) => {
          const { rows } = await client.query<{ id: string; status: string }>(
            'SELECT id, status FROM events',
          );
          return rows.length === bodies.size && rows.every((r) => r.status === 'processed')
            ? rows
            : undefined;
        }),
      20_000,
      'every event processed after the outage',
    );
    const stored = new Set(processed.map((r) => r.id));
    expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
    console.info(
      `outage: ${attempts.length} requests, ${during.length} during a ${restoreAt - cutAt} ms outage (all 503), ` +
        `ready again ${recoveredMs} ms after the network came back; ` +
        `${acknowledged.size} acknowledged in the burst, ${bodies.size} events processed in the end`,
    );
  }, 60_000);

  it('survives the server killing its connections (pg_terminate_backend) and serves on', async () => {
    const killed = await withAdminClient(null, (client) =>
      client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        appName,
      ]),
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const event = sessionEvent({
        type: 'identity.verification_session.processing',
        sessionId: uniqueId('vs'),
      });
      ids.push(event.id as string);
      // A request that met a connection as it died may be answered 503 once; Stripe would retry it.
      await waitFor(
        async () => ((await post(JSON.stringify(event))) === 200 ? true : undefined),
        10_000,
        'event stored',
      );
    }
    expect(await readyz()).toBe(200);
    await waitFor(
      () =>
        withAdminClient(schema, async (client) => {
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM events WHERE id = ANY($1) AND status = 'processed'`,
            [ids],
          );
          return rows[0]?.n === ids.length ? true : undefined;
        }),
      15_000,
      'events processed after the backends were terminated',
    );
    expect(service.proc.exitCode).toBeNull();
  }, 30_000);
});

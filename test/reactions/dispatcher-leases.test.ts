/**
 * Reactions are not held for minutes after something goes wrong: a dispatcher renews the short lease of a
 * row while it runs (so a slow send keeps its row, and a dead dispatcher's rows come back within one lease),
 * and a result it cannot record because the database blinked is written again instead of waiting out the
 * lease and sending the reaction twice.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { idempotencyKey, type PlannedReaction } from '../../src/domain/index.js';
import type { ReactionRunner } from '../../src/reactions/verdict.js';
import { parsePostgresUrl } from '../../src/store/postgres/connection.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { Dispatcher } from '../../src/worker/dispatcher.js';
import { PG_BASE_URL, dropSchema, schemaUrl, skipPostgres, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { TcpProxy } from '../postgres/tcp-proxy.js';

const silent = pino({ level: 'silent' });
const skipPg = await skipPostgres();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function callback(ref: string): PlannedReaction {
  const topic = 'verification.verified';
  return {
    kind: 'callback',
    topic,
    idempotencyKey: idempotencyKey(ref, 'callback', topic, `verified:vs_${ref}`),
    subjectRef: ref,
    sessionId: `vs_${ref}`,
    state: 'verified',
    lastError: null,
    category: null,
    eventId: null,
  };
}

async function queueOne(store: Store, ref: string): Promise<void> {
  await store.updateSubject(
    ref,
    () => ({
      change: { sessions: [], subject: null, history: [], reactions: [callback(ref)] },
      result: undefined,
    }),
    Date.now(),
  );
}

async function sqliteStore(): Promise<SqliteStore> {
  const temp = tempDir();
  const store = new SqliteStore({ filename: join(temp.dir, 'idv.db') });
  await store.migrate();
  cleanups.push(async () => {
    await store.close();
    temp.cleanup();
  });
  return store;
}

function dispatcher(store: Store, runner: ReactionRunner, leaseMs: number): Dispatcher {
  return new Dispatcher({
    store,
    logger: silent,
    runners: { callback: runner },
    retryScheduleMs: [60_000],
    pollIntervalMs: 10,
    leaseMs,
    resultWriteDelaysMs: [100, 200, 400, 800, 1_600],
  });
}

describe('dispatcher leases', () => {
  it('keeps renewing the lease of a send slower than the lease, so no other dispatcher takes it over', async () => {
    const store = await sqliteStore();
    await queueOne(store, 'slow_user');
    let calls = 0;
    const slow = dispatcher(
      store,
      async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 1_000));
        return { outcome: 'done', detail: null };
      },
      300,
    );
    const other = dispatcher(store, async () => ({ outcome: 'done', detail: 'stolen' }), 300);
    const running = slow.runOnce();
    let stolen = 0;
    const until = Date.now() + 900;
    while (Date.now() < until) {
      stolen += await other.runOnce();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await running).toBe(1);
    expect(stolen).toBe(0);
    expect(calls).toBe(1);
    expect((await store.listReactions({ limit: 5 }))[0]).toMatchObject({
      status: 'done',
      attempts: 1,
      result: null,
    });
  });

  it.skipIf(skipPg)(
    'records a result after a short PostgreSQL outage instead of sending the reaction again',
    async () => {
      const schema = uniqueSchema('idv_blip');
      const target = new URL(PG_BASE_URL);
      const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      const url = new URL(schemaUrl(schema));
      url.host = `127.0.0.1:${await proxy.start()}`;
      const store = new PostgresStore({
        connection: parsePostgresUrl(url.toString()),
        poolSize: 3,
        connectTimeoutMs: 500,
      });
      cleanups.push(async () => {
        await store.close();
        await proxy.close();
        await dropSchema(schema);
      });
      await store.migrate();
      await queueOne(store, 'blip_user');
      let calls = 0;
      const d = dispatcher(
        store,
        async () => {
          calls += 1;
          // The callback is delivered; then the database goes away for half a second before the result is written.
          await proxy.cut();
          setTimeout(() => void proxy.restore(), 500);
          return { outcome: 'done', detail: 'HTTP 200' };
        },
        20_000,
      );
      expect(await d.runOnce()).toBe(1);
      expect(calls).toBe(1);
      expect((await store.listReactions({ limit: 5 }))[0]).toMatchObject({
        status: 'done',
        result: 'HTTP 200',
      });
    },
  );
});

/**
 * On PostgreSQL, leases and due times follow the database's clock, not each process's: a dispatcher whose
 * clock runs 6 minutes ahead must not take over a live lease (it would send the reaction twice), and a
 * receiver 2 minutes ahead must not store its events as due 2 minutes from now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePostgresUrl } from '../../src/store/postgres/connection.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { newEvent, nextId, reaction, subjectChange } from '../contract/fixtures.js';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema } from '../helpers/postgres.js';

const skip = await skipPostgres();
const schema = uniqueSchema('idv_skew');
const MINUTE = 60_000;

function storeWithClock(offsetMs: number): PostgresStore {
  return new PostgresStore({
    connection: parsePostgresUrl(schemaUrl(schema)),
    poolSize: 2,
    clock: () => Date.now() + offsetMs,
  });
}

describe.skipIf(skip)('clock skew between processes on PostgreSQL', () => {
  const onTime = storeWithClock(0);
  const ahead6 = storeWithClock(6 * MINUTE);
  const ahead2 = storeWithClock(2 * MINUTE);

  beforeAll(async () => {
    for (const store of [onTime, ahead6, ahead2]) await store.migrate();
  });

  afterAll(async () => {
    for (const store of [onTime, ahead6, ahead2]) await store.close();
    await dropSchema(schema);
  });

  it('a dispatcher 6 minutes ahead does not take over a live lease', async () => {
    const ref = nextId('user');
    const reactions = [reaction('callback', ref, `${ref}:cb`)];
    await onTime.updateSubject(
      ref,
      () => ({ change: subjectChange(ref, nextId('vs'), 'verified', reactions), result: null }),
      Date.now(),
    );
    const held = await onTime.claimReactions({
      owner: 'on-time',
      limit: 10,
      leaseMs: 5 * MINUTE,
      now: Date.now(),
    });
    expect(held.map((r) => r.idempotencyKey)).toEqual([`${ref}:cb`]);
    const stolen = await ahead6.claimReactions({
      owner: 'ahead',
      limit: 10,
      leaseMs: 5 * MINUTE,
      now: Date.now() + 6 * MINUTE,
    });
    expect(stolen).toEqual([]);
  });

  it('events stored by a receiver 2 minutes ahead are due at once for a worker on time', async () => {
    const event = newEvent({ receivedAt: Date.now() + 2 * MINUTE });
    await ahead2.insertEvent(event);
    const claimed = await onTime.claimEvents({ owner: 'w', limit: 100, leaseMs: 30_000, now: Date.now() });
    expect(claimed.map((e) => e.id)).toContain(event.id);
  });
});

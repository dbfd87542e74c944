/**
 * A row the database refuses fails alone: the other events of the same group commit are stored. The
 * receiver normalises what it inserts (envelope.ts), so these rows come straight to the store, as a bug
 * or a future field could bring them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { newEvent } from './fixtures.js';

const LEGS = await Promise.all(
  ADAPTERS.map(async (adapter) => [adapter.name, adapter, await adapter.skip()] as const),
);

describe.each(LEGS)('%s store', (name, adapter, skipReason) => {
  if (skipReason) {
    it.skip(`is skipped: ${skipReason}`, () => undefined);
    return;
  }

  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await adapter.createDatabase();
    store = db.open();
    await store.migrate();
  });
  afterEach(async () => {
    await db.drop();
  });

  const poisons: [string, Partial<NewEvent>][] = [
    ['a status the CHECK constraint refuses', { status: 'bogus' as NewEvent['status'] }],
    ...(name === 'postgres'
      ? ([
          ['a NUL character in a TEXT column', { type: 'charge.succeeded\u0000' }],
          ['a created beyond BIGINT', { created: 1e20 }],
        ] as [string, Partial<NewEvent>][])
      : []),
  ];

  for (const [what, poison] of poisons) {
    it(`an event with ${what} fails alone; the rest of its batch is stored`, async () => {
      const good = Array.from({ length: 20 }, () => newEvent());
      const bad = newEvent(poison);
      const batch = [...good.slice(0, 10), bad, ...good.slice(10)];
      // Submitted in one turn of the event loop: one group commit.
      const results = await Promise.allSettled(batch.map((event) => store.insertEvent(event)));
      expect(results.map((r) => r.status)).toEqual(batch.map((e) => (e === bad ? 'rejected' : 'fulfilled')));
      for (const event of good) expect((await store.getEvent(event.id))?.status).toBe('pending');
      expect(await store.getEvent(bad.id)).toBeNull();
    });
  }
});

/**
 * The expectations table on both stores: the app's expected data and the kept verified outputs are stored
 * encrypted, read back decrypted only through getExpectation, carried in every snapshot without their values,
 * kept or purged field by field, re-encrypted by `idv rekey`, nulled by erasure and deleted by retention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_MATCH, type SessionMatch } from '../../src/domain/index.js';
import { EncryptingStore } from '../../src/store/encrypting-store.js';
import { PersonalDataCipher } from '../../src/store/personal-data-cipher.js';
import type { ExpectationWrite, Store } from '../../src/store/store.js';
import { rekeyAll } from '../../src/worker/rekey.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { T0, nextId, subjectChange } from './fixtures.js';

const OLD = 'c'.repeat(64);
const NEW = 'd'.repeat(64);
const EXPECTED = JSON.stringify({ first_name: 'Zoë', last_name: 'Kowalczyk', dob: '1991-07-04' });
const VERIFIED = JSON.stringify({ first_name: 'Zoë', last_name: 'Kowalczyk-Nowak' });
const DONE: SessionMatch = {
  status: 'mismatched',
  fields: { name: 'mismatch', dob: 'match', min_age: 'absent', country: 'absent' },
  checkedAt: T0 + 5,
  reason: null,
};

const LEGS = await Promise.all(ADAPTERS.map(async (a) => [a.name, a, await a.skip()] as const));

describe.each(LEGS)('expectations on %s', (_name, adapter, skip) => {
  let db: TestDatabase;
  let raw: Store;
  let store: Store;

  beforeAll(async () => {
    if (skip) return;
    db = await adapter.createDatabase();
    raw = db.open();
    await raw.migrate();
    store = new EncryptingStore(raw, new PersonalDataCipher(OLD));
  });
  afterAll(async () => {
    if (!skip) await db.drop();
  });

  async function write(ref: string, vs: string, expectations: ExpectationWrite[], state = 'pending') {
    await store.updateSubject(
      ref,
      () => ({ change: subjectChange(ref, vs, state, [], { expectations }), result: null }),
      T0,
    );
  }

  it.skipIf(skip)('stores expected data encrypted and hands it out only through getExpectation', async () => {
    const [ref, vs] = [nextId('user'), nextId('vs')];
    await write(ref, vs, [
      { sessionId: vs, subjectRef: ref, account: 'acct_1X', match: PENDING_MATCH, expected: EXPECTED },
    ]);
    const stored = JSON.stringify(await db.rows('SELECT expected, verified, match FROM expectations'));
    expect(stored).not.toContain('Kowalczyk');
    expect(stored).toContain('pending');

    const snapshot = await store.updateSubject(ref, (s) => ({ change: null, result: s }), T0);
    expect(snapshot.expectations).toEqual([
      expect.objectContaining({
        sessionId: vs,
        subjectRef: ref,
        account: 'acct_1X',
        match: PENDING_MATCH,
        hasExpected: true,
        hasVerified: false,
      }),
    ]);
    expect(JSON.stringify(snapshot.expectations)).not.toContain('Kowalczyk');
    expect(await store.getExpectation(vs)).toMatchObject({ expected: EXPECTED, verified: null });
    expect(await store.getExpectation('vs_none')).toBeNull();
  });

  it.skipIf(skip)('a later write keeps what it does not name and purges what it sets to null', async () => {
    const [ref, vs] = [nextId('user'), nextId('vs')];
    await write(ref, vs, [{ sessionId: vs, subjectRef: ref, match: PENDING_MATCH, expected: EXPECTED }]);
    await write(ref, vs, [{ sessionId: vs, subjectRef: ref, match: DONE, verified: VERIFIED }], 'in_review');
    expect(await store.getExpectation(vs)).toMatchObject({
      match: DONE,
      expected: EXPECTED,
      verified: VERIFIED,
      account: null,
      hasExpected: true,
      hasVerified: true,
    });
    await write(ref, vs, [{ sessionId: vs, subjectRef: ref, match: DONE, expected: null, verified: null }]);
    expect(await store.getExpectation(vs)).toMatchObject({
      match: DONE,
      expected: null,
      verified: null,
      hasExpected: false,
    });
  });

  it.skipIf(skip)('idv rekey re-encrypts expected data and kept outputs with the new key', async () => {
    const [ref, vs] = [nextId('user'), nextId('vs')];
    await write(ref, vs, [
      { sessionId: vs, subjectRef: ref, match: DONE, expected: EXPECTED, verified: VERIFIED },
    ]);
    await rekeyAll(raw, new PersonalDataCipher([NEW, OLD]), { batchSize: 2 });
    const oldId = new PersonalDataCipher(OLD).currentKeyId;
    expect(JSON.stringify(await db.rows('SELECT expected, verified FROM expectations'))).not.toContain(
      `enc:v2:${oldId}:`,
    );
    const fresh = new EncryptingStore(raw, new PersonalDataCipher(NEW));
    expect(await fresh.getExpectation(vs)).toMatchObject({ expected: EXPECTED, verified: VERIFIED });
    store = fresh;
  });

  it.skipIf(skip)('erasure nulls the values; retention deletes the row with its subject', async () => {
    const [ref, vs] = [nextId('user'), nextId('vs')];
    await write(ref, vs, [
      { sessionId: vs, subjectRef: ref, match: DONE, expected: EXPECTED, verified: VERIFIED },
    ]);
    await store.updateSubject(
      ref,
      () => ({ change: subjectChange(ref, vs, 'verified', [], { erase: { at: T0 } }), result: null }),
      T0,
    );
    expect(await store.getExpectation(vs)).toMatchObject({ match: DONE, expected: null, verified: null });
    expect(await store.purgeSubjects(Date.now() + 1_000, 1_000)).toBeGreaterThanOrEqual(1);
    expect(await store.getExpectation(vs)).toBeNull();
  });
});

/**
 * `idv rekey` on both stores: after a new key is put first in the ring, every personal value (event
 * payloads, the subject's email, an operator's name and note on the case, in history and in the manual
 * decision) is re-encrypted with it, so the old key can be dropped; plaintext from before any key is
 * encrypted too, and a second run has nothing left to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseSessionEvent } from '../../src/domain/index.js';
import { decideReview } from '../../src/outcomes/decide-review.js';
import { eventApplication } from '../../src/outcomes/apply-event.js';
import { EncryptingStore } from '../../src/store/encrypting-store.js';
import { PersonalDataCipher } from '../../src/store/personal-data-cipher.js';
import type { Store } from '../../src/store/store.js';
import { rekeyAll } from '../../src/worker/rekey.js';
import { sessionEvent } from '../helpers/stripe-events.js';
import { ADAPTERS, type TestDatabase } from './adapters.js';
import { T0, applyOne, newEvent, nextId } from './fixtures.js';

const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);
const EMAIL = 'rekey.person@example.com';
const NOTE = 'passport checked by phone';
const ACTOR = 'Ada Reviewer';

const LEGS = await Promise.all(ADAPTERS.map(async (a) => [a.name, a, await a.skip()] as const));

describe.each(LEGS)('idv rekey on %s', (_name, adapter, skip) => {
  let db: TestDatabase;
  let raw: Store;
  const ref = nextId('user');

  beforeAll(async () => {
    if (skip) return;
    db = await adapter.createDatabase();
    raw = db.open();
    await raw.migrate();
    // One event stored before any key was configured: plaintext.
    await raw.insertEvent(newEvent({ payload: JSON.stringify({ before_keys: EMAIL }) }));
    const old = new EncryptingStore(raw, new PersonalDataCipher(OLD));
    const vs = nextId('vs');
    const payload = sessionEvent({
      type: 'identity.verification_session.requires_input',
      sessionId: vs,
      subject: ref,
      code: 'selfie_manipulated',
      email: EMAIL,
    });
    await old.insertEvent(
      newEvent({ id: payload.id as string, objectId: vs, payload: JSON.stringify(payload) }),
    );
    const [claim] = (await old.claimEvents({ owner: 'w', limit: 10, leaseMs: 60_000, now: T0 + 10 })).filter(
      (e) => e.id === payload.id,
    );
    const app = eventApplication(parseSessionEvent(JSON.parse(claim!.payload))!, DEFAULT_POLICY, T0);
    expect(await applyOne(old, { eventId: claim!.id, owner: 'w', sessionId: vs }, app, T0)).toBe('applied');
    const review = (await old.getSubject(ref))!.openReview!;
    await old.updateSubject(
      ref,
      (snapshot) =>
        decideReview(
          {
            reviewId: review.id,
            ref,
            decision: 'approve',
            note: NOTE,
            actor: ACTOR,
            policy: DEFAULT_POLICY,
            now: T0,
          },
          snapshot,
        ),
      T0,
    );
  });

  afterAll(async () => {
    if (!skip) await db.drop();
  });

  it.skipIf(skip)(
    're-encrypts every personal value with the new key, and a second run does nothing',
    async () => {
      const lines: string[] = [];
      const ring = new PersonalDataCipher([NEW, OLD]);
      const first = await rekeyAll(raw, ring, { batchSize: 2, onProgress: (p) => lines.push(p.column) });
      expect(first.rewritten).toBeGreaterThanOrEqual(7);
      expect(lines).toContain('events.payload');

      const stored = JSON.stringify([
        await db.rows('SELECT payload FROM events'),
        await db.rows('SELECT email, manual_decision FROM subjects'),
        await db.rows('SELECT note, actor FROM reviews'),
        await db.rows('SELECT actor FROM history'),
      ]);
      for (const secret of [EMAIL, NOTE, ACTOR]) expect(stored).not.toContain(secret);
      const oldId = new PersonalDataCipher(OLD).currentKeyId;
      expect(stored).not.toContain(`enc:v2:${oldId}:`);

      // The old key can go: everything reads with the new one alone.
      const fresh = new EncryptingStore(raw, new PersonalDataCipher(NEW));
      const detail = await fresh.getSubject(ref);
      expect(detail?.subject.email).toBe(EMAIL);
      expect(detail?.subject.manualDecision).toMatchObject({ note: NOTE, decidedBy: ACTOR });
      expect(detail?.history.at(-1)?.actor).toBe(ACTOR);
      expect((await fresh.listReviews({ limit: 10 }))[0]).toMatchObject({ note: NOTE, actor: ACTOR });

      expect((await rekeyAll(raw, ring, { batchSize: 2 })).rewritten).toBe(0);
    },
  );
});

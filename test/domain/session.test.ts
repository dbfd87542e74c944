import { describe, expect, it } from 'vitest';
import { applySessionEvent, parseSessionEvent } from '../../src/domain/index.js';
import type { SessionEvent, SessionRecord } from '../../src/domain/index.js';
import { stripeEvent } from './fixtures.js';
import type { EventSpec, ShortType } from './fixtures.js';

function ev(spec: Partial<EventSpec> & Pick<EventSpec, 'id' | 'type' | 'created'>): SessionEvent {
  const withFailure: Partial<EventSpec> =
    spec.type === 'requires_input' && spec.code === undefined
      ? { code: 'document_expired', report: `vr_${spec.id}` }
      : {};
  const parsed = parseSessionEvent(stripeEvent({ session: 'vs_1', userId: 'u1', ...withFailure, ...spec }));
  if (parsed === null) throw new Error('fixture did not parse');
  return parsed;
}

/** Folds events in order; returns the final record. */
function fold(events: readonly SessionEvent[], ref: string | null = 'u1'): SessionRecord {
  let record: SessionRecord | null = null;
  for (const e of events) record = applySessionEvent(record, e, ref).record;
  if (record === null) throw new Error('no events');
  return record;
}

const TYPES: ShortType[] = ['created', 'processing', 'requires_input', 'verified', 'canceled', 'redacted'];
const STATUS: Record<ShortType, string> = {
  created: 'requires_input',
  processing: 'processing',
  requires_input: 'requires_input',
  verified: 'verified',
  canceled: 'canceled',
  redacted: 'verified',
};
/** The documented same-second order: the session lifecycle. */
const LIFECYCLE_POSITION = (t: ShortType) => TYPES.indexOf(t);

describe('applySessionEvent: every (last applied event × incoming event × timing)', () => {
  const rows = TYPES.flatMap((prior) =>
    TYPES.flatMap((incoming) =>
      (['older', 'same second', 'newer'] as const).map((timing) => {
        const newer =
          timing === 'newer' ||
          (timing === 'same second' && LIFECYCLE_POSITION(incoming) > LIFECYCLE_POSITION(prior)) ||
          // equal type in the same second: the event id decides ('evt_b' > 'evt_a').
          (timing === 'same second' && incoming === prior);
        return {
          prior,
          incoming,
          timing,
          effect: newer ? 'applied' : 'stale',
          status: STATUS[newer ? incoming : prior],
        };
      }),
    ),
  );

  it.each(rows)(
    '$prior then $incoming ($timing) → $effect, status $status',
    ({ prior, incoming, timing, effect, status }) => {
      const first = applySessionEvent(null, ev({ id: 'evt_a', type: prior, created: 100 }), 'u1');
      expect(first.effect).toBe('applied');
      const created = timing === 'older' ? 50 : timing === 'same second' ? 100 : 150;
      const second = applySessionEvent(first.record, ev({ id: 'evt_b', type: incoming, created }), 'u1');
      expect(second.effect).toBe(effect);
      expect(second.record.status).toBe(status);
      expect(second.record.subjectRef).toBe('u1');
    },
  );
});

describe('applySessionEvent', () => {
  it('treats the same event id again as a duplicate and changes nothing', () => {
    const e = ev({
      id: 'evt_1',
      type: 'requires_input',
      created: 10,
      report: 'vr_1',
      code: 'document_expired',
    });
    const first = applySessionEvent(null, e, 'u1');
    const again = applySessionEvent(first.record, e, 'u1');
    expect(again.effect).toBe('duplicate');
    expect(again.record).toBe(first.record);
    expect(again.newFailure).toBeNull();
  });

  it('a verified event delivered before its processing event leaves the session verified', () => {
    const record = fold([
      ev({ id: 'evt_v', type: 'verified', created: 20 }),
      ev({ id: 'evt_p', type: 'processing', created: 10 }),
    ]);
    expect(record.status).toBe('verified');
  });

  it('records a failed submission keyed by its verification report', () => {
    const result = applySessionEvent(
      null,
      ev({
        id: 'evt_1',
        type: 'requires_input',
        created: 10,
        code: 'selfie_face_mismatch',
        reason: 'No match',
        report: 'vr_7',
      }),
      'u1',
    );
    expect(result.newFailure).toEqual({
      key: 'vr_7',
      code: 'selfie_face_mismatch',
      reason: 'No match',
      at: 10,
    });
    expect(result.record.failures).toEqual([result.newFailure]);
    expect(result.record.lastError).toEqual({ code: 'selfie_face_mismatch', reason: 'No match' });
  });

  it('the same failure as two different Event objects (same report id) is recorded once', () => {
    const a = ev({ id: 'evt_a', type: 'requires_input', created: 10, report: 'vr_1' });
    const b = ev({ id: 'evt_b', type: 'requires_input', created: 11, report: 'vr_1' });
    const first = applySessionEvent(null, a, 'u1');
    const second = applySessionEvent(first.record, b, 'u1');
    expect(second.newFailure).toBeNull();
    expect(second.record.failures.map((f) => f.key)).toEqual(['vr_1']);
    expect(second.record.failures[0]?.at).toBe(10);
  });

  it('keeps the earliest report of a duplicated failure whatever the arrival order', () => {
    const a = ev({ id: 'evt_a', type: 'requires_input', created: 10, report: 'vr_1' });
    const b = ev({ id: 'evt_b', type: 'requires_input', created: 11, report: 'vr_1' });
    expect(fold([b, a]).failures).toEqual(fold([a, b]).failures);
  });

  it('a late failure after a newer event still counts, without changing the status', () => {
    const processingAgain = ev({ id: 'evt_p2', type: 'processing', created: 30 });
    const lateFailure = ev({ id: 'evt_f1', type: 'requires_input', created: 20, report: 'vr_1' });
    const first = applySessionEvent(null, processingAgain, 'u1');
    const late = applySessionEvent(first.record, lateFailure, 'u1');
    expect(late.effect).toBe('stale');
    expect(late.record.status).toBe('processing');
    expect(late.newFailure?.key).toBe('vr_1');
    expect(late.record.failures).toHaveLength(1);
  });

  it('without a report id, the failure key falls back to session and code', () => {
    const a = ev({ id: 'evt_a', type: 'requires_input', created: 10, code: 'abandoned', report: null });
    const b = ev({ id: 'evt_b', type: 'requires_input', created: 12, code: 'abandoned', report: null });
    const c = ev({
      id: 'evt_c',
      type: 'requires_input',
      created: 14,
      code: 'consent_declined',
      report: null,
    });
    expect(fold([a, b, c]).failures.map((f) => f.key)).toEqual(['vs_1:abandoned', 'vs_1:consent_declined']);
  });

  it('requires_input without an error code (creation, or an override without code) is not a failure', () => {
    const result = applySessionEvent(
      null,
      ev({ id: 'evt_1', type: 'requires_input', created: 10, code: null }),
      'u1',
    );
    expect(result.newFailure).toBeNull();
    expect(result.record.failures).toEqual([]);
  });

  it('a Dashboard override verified → requires_input → verified applies each newer decision', () => {
    const verified = ev({ id: 'evt_v1', type: 'verified', created: 10, report: 'vr_1' });
    const override = ev({
      id: 'evt_o',
      type: 'requires_input',
      created: 20,
      report: 'vr_1',
      code: 'selfie_face_mismatch',
    });
    const back = ev({ id: 'evt_v2', type: 'verified', created: 30, report: 'vr_1' });
    expect(fold([verified, override]).status).toBe('requires_input');
    const final = fold([verified, override, back]);
    expect(final.status).toBe('verified');
    expect(final.firstVerifiedAt).toBe(10);
    expect(final.failures.map((f) => f.key)).toEqual(['vr_1']);
  });

  it('redaction keeps the subject mapping although Stripe erased metadata', () => {
    const verified = ev({ id: 'evt_v', type: 'verified', created: 10 });
    const redacted = ev({ id: 'evt_r', type: 'redacted', created: 50 });
    expect(redacted.session.metadataUserId).toBeNull();
    const first = applySessionEvent(null, verified, 'u1');
    const after = applySessionEvent(first.record, redacted, null);
    expect(after.record.subjectRef).toBe('u1');
    expect(after.record.redacted).toBe(true);
    expect(after.record.status).toBe('verified');
  });

  it('redaction is recorded even when its event is older than the last applied one', () => {
    const redacted = ev({ id: 'evt_r', type: 'redacted', created: 50 });
    const newer = ev({ id: 'evt_x', type: 'verified', created: 60 });
    const record = fold([newer, redacted]);
    expect(record.redacted).toBe(true);
    expect(record.status).toBe('verified');
  });

  it('a canceled event caused by redaction marks redaction requested but not finished', () => {
    const canceled = ev({ id: 'evt_c', type: 'canceled', created: 10, redaction: { status: 'processing' } });
    const record = fold([canceled]);
    expect(record.redactionRequested).toBe(true);
    expect(record.redacted).toBe(false);
  });

  it('a known mapping is never replaced by a later event that names another subject', () => {
    const first = applySessionEvent(null, ev({ id: 'evt_1', type: 'created', created: 10 }), 'u1');
    const second = applySessionEvent(
      first.record,
      ev({ id: 'evt_2', type: 'processing', created: 20, userId: 'u2' }),
      'u2',
    );
    expect(second.record.subjectRef).toBe('u1');
  });

  it('an unlinked session is linked by a later event that names the subject', () => {
    const first = applySessionEvent(
      null,
      ev({ id: 'evt_1', type: 'created', created: 10, userId: null }),
      null,
    );
    expect(first.record.subjectRef).toBeNull();
    const second = applySessionEvent(
      first.record,
      ev({ id: 'evt_2', type: 'processing', created: 20 }),
      'u2',
    );
    expect(second.record.subjectRef).toBe('u2');
  });

  it('refuses an event for another session', () => {
    const first = applySessionEvent(null, ev({ id: 'evt_1', type: 'created', created: 10 }), 'u1');
    expect(() =>
      applySessionEvent(
        first.record,
        ev({ id: 'evt_2', type: 'created', created: 10, session: 'vs_2' }),
        'u1',
      ),
    ).toThrow(/vs_2/);
  });
});

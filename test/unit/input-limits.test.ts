/**
 * The pure checks behind "bad input never becomes a 5xx": JSON limits, the subject-ref rule, header-safe
 * keys, and what the receiver's envelope makes of hostile but correctly signed bodies.
 */
import { describe, expect, it } from 'vitest';
import { subjectRefProblem } from '../../src/domain/subject-ref.js';
import { holdsNul, inspectJson } from '../../src/json-limits.js';
import { headerSafeKey } from '../../src/reactions/header-key.js';
import { classifyEvent, parseEnvelope } from '../../src/stripe/envelope.js';
import { sessionEvent } from '../helpers/stripe-events.js';

const nested = (levels: number, inner = '{"url":"https://verify.stripe.com/x"}') =>
  '['.repeat(levels) + inner + ']'.repeat(levels);

function envelopeOf(event: unknown) {
  return parseEnvelope(Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)));
}

describe('inspectJson', () => {
  it('walks 100,000 levels without overflowing the stack, and reports what is deeper than the limit', () => {
    const deep = JSON.parse(nested(100_000));
    expect(inspectJson(deep, 32)).toEqual({ tooDeep: true, nul: false, unsafeNumber: false });
    expect(holdsNul(deep)).toBe(false);
  });

  it('finds NUL in values and keys, and numbers beyond 2^53', () => {
    expect(inspectJson({ a: ['x\u0000'] }, 32).nul).toBe(true);
    expect(holdsNul(JSON.parse(nested(100_000, '"\\u0000"')))).toBe(true);
    expect(inspectJson({ 'k\u0000': 1 }, 32).nul).toBe(true);
    expect(inspectJson({ a: 1e20 }, 32).unsafeNumber).toBe(true);
    expect(inspectJson({ a: JSON.parse('1e400') }, 32).unsafeNumber).toBe(true);
    expect(inspectJson({ a: 1.5, b: -(2 ** 53 - 1) }, 32)).toEqual({
      tooDeep: false,
      nul: false,
      unsafeNumber: false,
    });
  });
});

describe('subject refs', () => {
  it('accepts 1 to 128 characters of printable Unicode, counted in code points', () => {
    for (const ref of ['user_42', 'a', '用户-7', 'Zoë O’Brien', '🙂'.repeat(128), 'x'.repeat(128), 'a b']) {
      expect(subjectRefProblem(ref)).toBeNull();
    }
  });

  it('refuses empty, too long, control, format and separator characters', () => {
    expect(subjectRefProblem('')).toBe('is empty');
    expect(subjectRefProblem('x'.repeat(129))).toMatch(/longer than 128/);
    for (const ref of [
      'a\u0000b',
      'a\nb',
      'a\u007fb',
      'a\u0085b',
      'a\u200bb',
      'a\u202eb',
      'a\u2028b',
      'a\ud800b',
    ]) {
      expect(subjectRefProblem(ref)).toMatch(/control, format or separator/);
    }
  });
});

describe('headerSafeKey', () => {
  it('keeps a printable ASCII key as it is', () => {
    expect(headerSafeKey('idv-session:user_42:attempt-0:n0')).toBe('idv-session:user_42:attempt-0:n0');
  });

  it('percent-encodes a key outside Latin-1, or hashes it when that would pass 255 characters', () => {
    const encoded = headerSafeKey('idv-session:用户:attempt-0:n0');
    expect(encoded).toBe(`idv-session${encodeURIComponent(':用户:')}attempt-0${encodeURIComponent(':')}n0`);
    const long = headerSafeKey(`idv-session:${'🙂'.repeat(128)}:attempt-0:n0`);
    expect(long).toMatch(/^%sha256:[0-9a-f]{64}$/);
    for (const key of [encoded, long, headerSafeKey('a\ud800b')]) {
      expect(key.length).toBeLessThanOrEqual(255);
      expect(/^[\x21-\x7e]+$/.test(key)).toBe(true);
    }
  });

  it('never maps two keys to one: an ASCII key holding % is encoded too', () => {
    const keys = ['é', encodeURIComponent('é'), 'a b', 'a%20b', 'x'.repeat(300), 'x'.repeat(301)];
    expect(new Set(keys.map(headerSafeKey)).size).toBe(keys.length);
  });
});

describe('the envelope of a hostile but signed body', () => {
  const base = () => sessionEvent({ type: 'identity.verification_session.verified', sessionId: 'vs_test_1' });
  const reasonOf = (event: unknown) => classifyEvent(envelopeOf(event), 'any').ignoredReason;

  it('stores a 10,000-level body as ignored, with a placeholder payload instead of the body', () => {
    const event = base();
    // Built as text: JSON.stringify itself overflows on such a value, which is the point.
    const envelope = envelopeOf(`${JSON.stringify(event).slice(0, -1)},"extra":${nested(10_000)}}`);
    expect(classifyEvent(envelope, 'any')).toEqual({
      status: 'ignored',
      ignoredReason: 'invalid_payload: nested deeper than 32 levels',
    });
    expect(JSON.parse(envelope.payload)).toMatchObject({ id: event.id, objectId: 'vs_test_1' });
    expect(envelope.payload).not.toContain('verify.stripe.com');
  });

  it('marks NUL characters and out-of-range numbers, and keeps the columns storable', () => {
    const withNul = { ...base(), type: 'identity.verification_session.verified\u0000' };
    const nul = envelopeOf(withNul);
    expect(nul.type).not.toContain('\u0000');
    expect(reasonOf(withNul)).toBe('invalid_payload: a string holds a NUL character');

    const far = envelopeOf({ ...base(), created: 1e20 });
    expect(far.created).toBe(0);
    expect(classifyEvent(far, 'any').ignoredReason).toBe(
      'invalid_payload: "created" is not a Unix time in seconds',
    );
    expect(reasonOf({ ...base(), amount: 1e20 })).toBe('invalid_payload: a number is beyond ±2^53');
  });

  it('marks session fields the worker would turn into keys when they are unusable', () => {
    const withObject = (patch: Record<string, unknown>) => {
      const event = base() as { data: { object: Record<string, unknown> } };
      Object.assign(event.data.object, patch);
      return event;
    };
    expect(reasonOf(withObject({ id: 'vs_'.padEnd(300, 'x') }))).toBe(
      'invalid_payload: data.object.id is not an id',
    );
    expect(reasonOf(withObject({ created: -1 }))).toMatch(/data\.object\.created/);
    expect(reasonOf(withObject({ last_error: { code: 'c'.repeat(256) } }))).toMatch(
      /last_error\.code is too long/,
    );
    expect(reasonOf(withObject({ client_reference_id: 'u'.repeat(129) }))).toMatch(
      /client_reference_id is longer/,
    );
    expect(reasonOf(withObject({ metadata: { user_id: 'a\nb' } }))).toMatch(
      /metadata\.user_id holds a control/,
    );
    // Redaction placeholders are not refs at all, so they are no reason to ignore the event.
    expect(reasonOf(withObject({ metadata: { user_id: '[redacted]' }, client_reference_id: '' }))).toBeNull();
  });

  it('still refuses a body that is no event at all', () => {
    expect(() => envelopeOf('not json')).toThrow(expect.objectContaining({ code: 'body_not_json' }));
    expect(() => envelopeOf({ hello: 'world' })).toThrow(expect.objectContaining({ code: 'not_an_event' }));
    expect(() => envelopeOf({ ...base(), id: 'evt_\u0000' })).toThrow(
      expect.objectContaining({ code: 'not_an_event' }),
    );
  });
});

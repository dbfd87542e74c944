/**
 * Order-independence of the domain, the property DESIGN.md "Ordering" promises: Stripe delivers late,
 * twice and out of order, and may send two Event objects for one change (reference 4.2). We generate
 * realistic lifecycles, run them in `created` order, and run a random permutation of the same events
 * with random duplicates (the same Event again, or a twin Event object with another id and the same
 * snapshot) through the production event worker on an in-memory SQLite store (fixtures.ts runStream).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KNOWN_ERROR_CODES } from '../../src/domain/index.js';
import type { PlannedReaction } from '../../src/domain/index.js';
import { runStream, stripeEvent } from './fixtures.js';
import type { EventSpec, RunResult } from './fixtures.js';

const CODES = [...KNOWN_ERROR_CODES, 'a_code_stripe_adds_later'];

type Outcome = { kind: 'fail'; code: string; withReport: boolean } | { kind: 'verified' };

interface SessionModel {
  /** How the subject is found: idv's own mapping, metadata.user_id or client_reference_id. */
  link: 'stored' | 'metadata' | 'client_reference_id';
  submissions: Outcome[];
  cancel: boolean;
  redact: boolean;
  /** Seconds between consecutive events; 0 makes same-second ties, which the rank must order. */
  gaps: number[];
}

interface Model {
  subjects: SessionModel[][];
}

const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fail' as const),
      code: fc.constantFrom(...CODES),
      withReport: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'verified' as const }) },
);

const sessionArb = (maxSubmissions: number): fc.Arbitrary<SessionModel> =>
  fc.record({
    link: fc.constantFrom('stored' as const, 'metadata' as const, 'client_reference_id' as const),
    submissions: fc.array(outcomeArb, { minLength: 0, maxLength: maxSubmissions }),
    cancel: fc.boolean(),
    redact: fc.boolean(),
    gaps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
  });

const modelArb: fc.Arbitrary<Model> = fc.record({
  subjects: fc.array(fc.array(sessionArb(4), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
});

/**
 * "Each session has a single outcome": one session per subject and at most one submission. Here the
 * whole reaction set must not depend on order.
 */
const singleOutcomeModelArb: fc.Arbitrary<Model> = fc.record({
  subjects: fc.array(
    // A failed submission followed by a cancel would be two outcomes: if the cancel arrives first, the
    // failure is late and must not ask the user to retry a canceled session.
    sessionArb(1).map((s): SessionModel[] => [{ ...s, cancel: s.cancel && s.submissions.length === 0 }]),
    { minLength: 1, maxLength: 4 },
  ),
});

interface Built {
  /** Specs in lifecycle (created) order. */
  specs: EventSpec[];
  storedRefs: Record<string, string>;
}

/** Expands a model into realistic Stripe lifecycles with non-decreasing `created` per subject. */
function build(model: Model): Built {
  const specs: EventSpec[] = [];
  const storedRefs: Record<string, string> = {};
  let eventNo = 0;
  model.subjects.forEach((sessions, si) => {
    const ref = `user_${si}`;
    let t = 1_000 * (si + 1);
    sessions.forEach((s, vi) => {
      const session = `vs_${si}_${vi}`;
      const sessionCreated = t;
      let gap = 0;
      const next = () => (t += s.gaps[gap++ % s.gaps.length] ?? 1);
      const link: Partial<EventSpec> =
        s.link === 'metadata' ? { userId: ref } : s.link === 'client_reference_id' ? { clientRef: ref } : {};
      if (s.link === 'stored') storedRefs[session] = ref;
      const push = (spec: Omit<EventSpec, 'id' | 'session' | 'sessionCreated'>) =>
        specs.push({
          id: `evt_${String(++eventNo).padStart(4, '0')}`,
          session,
          sessionCreated,
          ...link,
          ...spec,
        });

      push({ type: 'created', created: t });
      let final: 'requires_input' | 'verified' | 'canceled' = 'requires_input';
      for (const [i, outcome] of s.submissions.entries()) {
        push({ type: 'processing', created: next() });
        if (outcome.kind === 'verified') {
          push({ type: 'verified', created: next(), report: `vr_${session}_${i}` });
          final = 'verified';
          break;
        }
        push({
          type: 'requires_input',
          created: next(),
          code: outcome.code,
          reason: `reason ${outcome.code}`,
          report: outcome.withReport ? `vr_${session}_${i}` : null,
        });
      }
      if (final === 'requires_input' && s.cancel) {
        // Redacting a requires_input session cancels it (reference 2.2), with redaction in progress.
        push({
          type: 'canceled',
          created: next(),
          ...(s.redact ? { redaction: { status: 'processing' } } : {}),
        });
        final = 'canceled';
      }
      if (s.redact && final !== 'requires_input')
        push({ type: 'redacted', created: next() + 1, status: final });
      t = next() + 1;
    });
  });
  // The "ordered" stream: by created; generation order breaks ties (it is the lifecycle order).
  specs.sort((a, b) => a.created - b.created);
  return { specs, storedRefs };
}

/** 0 = once, 1 = the same Event delivered again, 2 = also a twin Event object for the same snapshot. */
type Delivery = 0 | 1 | 2;

function deliver(specs: readonly EventSpec[], deliveries: readonly Delivery[]): EventSpec[] {
  return specs.flatMap((spec, i) => {
    const d = deliveries[i] ?? 0;
    if (d === 0) return [spec];
    if (d === 1) return [spec, spec];
    return [spec, { ...spec, id: `${spec.id}_twin` }];
  });
}

/** Model + a permutation of its events with random duplicates. */
const scenarioArb = (models: fc.Arbitrary<Model>) =>
  models.chain((model) => {
    const built = build(model);
    const n = built.specs.length;
    return fc
      .array(fc.constantFrom<Delivery>(0, 0, 0, 1, 2), { minLength: n, maxLength: n })
      .chain((deliveries) => {
        const delivered = deliver(built.specs, deliveries);
        return fc
          .shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length })
          .map((permuted) => ({ built, permuted }));
      });
  });

function run(specs: readonly EventSpec[], storedRefs: Record<string, string>): Promise<RunResult> {
  return runStream(specs.map(stripeEvent), { storedRefs });
}

function keys(reactions: readonly PlannedReaction[]): string[] {
  return reactions.map((r) => r.idempotencyKey);
}

function expectNoKeyPlannedTwice(result: RunResult) {
  const all = keys(result.reactions);
  expect(all.length).toBe(new Set(all).size);
}

function sortedViews(result: RunResult) {
  return [...result.views.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * The reactions that announce the subject's final outcome (and redactions, which are per session), as
 * keys without the `#n` of a repeated announcement: how often an outcome was announced depends on the
 * order (see src/domain/announcements.ts), what the final outcome announces does not.
 */
function finalReactionKeys(result: RunResult): string[] {
  const announcesFinal = (r: PlannedReaction) => {
    if (r.topic === 'verification.redacted') return true;
    const view = r.subjectRef === null ? undefined : result.views.get(r.subjectRef);
    return view !== undefined && r.state === view.state && baseKey(r).endsWith(`:${view.cause.key}`);
  };
  return [...new Set(result.reactions.filter(announcesFinal).map(baseKey))].sort();
}

function baseKey(r: PlannedReaction): string {
  return r.idempotencyKey.replace(/#\d+$/, '');
}

const NUM_RUNS = 200;
/** Each run applies two streams on a real SQLite store: seconds in all, more on a loaded machine. */
const PROPERTY_TIMEOUT_MS = 90_000;

describe('order independence (property)', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('any permutation with duplicates ends in the same subject views, and plans each key at most once', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(modelArb), async ({ built, permuted }) => {
        const ordered = await run(built.specs, built.storedRefs);
        const shuffled = await run(permuted, built.storedRefs);
        expect(sortedViews(shuffled)).toEqual(sortedViews(ordered));
        for (const [ref, view] of ordered.views) {
          expect(shuffled.views.get(ref)?.state).toBe(view.state);
          expect(shuffled.views.get(ref)?.attempts).toEqual(view.attempts);
        }
        expectNoKeyPlannedTwice(ordered);
        expectNoKeyPlannedTwice(shuffled);
        // The full reaction sets may legitimately differ here. Example: session A fails (vr_1), then a
        // newer session B is verified. In order, the user is told "please retry" and then "verified".
        // If B's verification arrives first, A's failure is late: the subject is already verified, and
        // sending "please retry" to a verified user would be wrong, so it is never planned. What must
        // not differ is what the final outcome announces: the same keys in both runs.
        expect(finalReactionKeys(shuffled)).toEqual(finalReactionKeys(ordered));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when each subject has one session with a single outcome, the whole reaction set is the same', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(singleOutcomeModelArb), async ({ built, permuted }) => {
        const ordered = await run(built.specs, built.storedRefs);
        const shuffled = await run(permuted, built.storedRefs);
        expect(sortedViews(shuffled)).toEqual(sortedViews(ordered));
        expect(keys(shuffled.reactions).sort()).toEqual(keys(ordered.reactions).sort());
        expectNoKeyPlannedTwice(shuffled);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('the ordered stream of a generated lifecycle is realistic (guards the generator)', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const { specs } = build(model);
        for (let i = 1; i < specs.length; i++)
          expect(specs[i]!.created).toBeGreaterThanOrEqual(specs[i - 1]!.created);
        const sessionsPerSubject = model.subjects.map((s) => s.length);
        expect(new Set(specs.map((s) => s.session)).size).toBe(sessionsPerSubject.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 50 },
    );
  });
});

/**
 * Opens a verification session for a subject: plan from a locked snapshot, talk to Stripe outside any
 * transaction (never hold a lock across a network call), then record the session → subject mapping.
 *
 * The mapping is kept locally (a session with `record: null` until its first event) because Stripe erases
 * `metadata` on redaction (reference §2.2); it also makes the worker attribute the session's events to this
 * subject whatever the event says.
 */
import {
  announcementsFrom,
  PENDING_MATCH,
  subjectKey,
  withSessionDefaults,
  type ExpectedData,
  type Policy,
  type SessionFields,
} from '../domain/index.js';
import { IdvError } from '../errors.js';
import type { StripeGateway, VerificationSessionHandle } from '../stripe/gateway.js';
import type { SubjectsAndReviews } from '../store/store.js';
import { currentView, planSessionRequest } from './plan-session.js';
import { subjectChange } from './subject-change.js';

export interface OpenSessionInput {
  ref: string;
  email?: string | undefined;
  /** What the app asked for (validated by domain/session-request.ts); the policy's `session` fills the rest. */
  fields?: SessionFields;
  /** Compared with the verified outputs once the session is verified; stored encrypted until then. */
  expected?: ExpectedData | undefined;
  /** A Connect account: the session is created there and the subject is that account's (subject-key.ts). */
  account?: string | undefined;
}

export interface OpenedSession {
  sessionId: string;
  url: string | null;
  clientSecret: string | null;
  reused: boolean;
}

export async function openSession(
  deps: {
    store: Pick<SubjectsAndReviews, 'updateSubject'>;
    stripe: StripeGateway;
    policy: Policy;
    clock: () => number;
    /** Personal data is encrypted at rest; without it `expected` is refused (encryption_not_configured). */
    encrypted?: boolean;
  },
  input: OpenSessionInput,
): Promise<OpenedSession> {
  const { store, stripe, policy, clock } = deps;
  if (input.expected && !deps.encrypted) {
    throw new IdvError(
      'encryption_not_configured',
      'expected holds personal data, which idv stores only encrypted: set IDV_ENCRYPTION_KEY.',
      { param: 'expected' },
    );
  }
  const account = input.account ?? null;
  const ref = subjectKey(account, input.ref);
  const plan = await store.updateSubject(
    ref,
    (snapshot) => ({
      change: null,
      result: planSessionRequest(ref, snapshot, policy),
    }),
    clock(),
  );
  if (plan.action === 'refuse') throw new IdvError(plan.code, plan.message);

  let session: VerificationSessionHandle | undefined;
  let reused = false;
  for (const id of plan.reuse.slice(0, 3)) {
    const candidate = await stripe.retrieveSession(id, account);
    // Retrieving again is how Stripe hands out a fresh url / client_secret (reference §2.1).
    if (usable(candidate)) {
      session = candidate;
      reused = true;
      break;
    }
    // Stripe knows more than our events so far: a submission in flight or done must not get a sibling.
    if (candidate.status === 'processing') {
      throw new IdvError(
        'conflict',
        `A submission of subject ${ref} is being checked; wait for its outcome.`,
      );
    }
    if (candidate.status === 'verified')
      throw new IdvError('already_verified', `Subject ${ref} is already verified.`);
  }
  if (!session) {
    session = await stripe.createSession({
      // Stripe holds the app's own ref; the account is in the header, and events come back with it.
      ref: input.ref,
      fields: sessionFields(policy, input),
      idempotencyKey: plan.idempotencyKey,
      ...(account ? { account } : {}),
    });
    if (!usable(session)) {
      // An idempotent replay of a session that moved on before its event arrived; the next request
      // (once the event is in) sees it and gets a new key.
      throw new IdvError(
        'conflict',
        `The current session of subject ${ref} is ${session.status}; try again shortly.`,
      );
    }
  }

  const opened = session;
  await recordOpened(deps, { ref, account, sessionId: opened.id, input });
  return { sessionId: opened.id, url: opened.url, clientSecret: opened.clientSecret, reused };
}

/** Records the session → subject mapping, the app's email and its expected data (pending comparison). */
async function recordOpened(
  deps: { store: Pick<SubjectsAndReviews, 'updateSubject'>; policy: Policy; clock: () => number },
  opened: { ref: string; account: string | null; sessionId: string; input: OpenSessionInput },
): Promise<void> {
  const { store, policy, clock } = deps;
  const { ref, account, sessionId, input } = opened;
  await store.updateSubject(
    ref,
    (snapshot) => {
      const known = snapshot.sessions.some((s) => s.id === sessionId);
      // Nothing about the outcome changes: the step keeps the view and plans nothing.
      const step = {
        view: currentView(ref, snapshot, policy),
        history: null,
        reactions: [],
        announcements: snapshot.subject?.announcements ?? announcementsFrom(snapshot.subject?.view ?? null),
      };
      const expected = input.expected && JSON.stringify(input.expected);
      const change = subjectChange({
        ref,
        snapshot,
        step,
        manualDecision: snapshot.subject?.manualDecision ?? null,
        now: clock(),
        // An already linked session is left alone: rewriting it would clear what its events recorded.
        sessions: known ? [] : [{ id: sessionId, subjectRef: ref, record: null }],
        email: input.email ? input.email : undefined,
        expectations: expected
          ? [{ sessionId, subjectRef: ref, account, match: PENDING_MATCH, expected }]
          : [],
      });
      return { change, result: undefined };
    },
    clock(),
  );
}

/** The app's `email` is the default of `provided_details.email` (Stripe may show it to the user, §8). */
function sessionFields(policy: Policy, input: OpenSessionInput): SessionFields {
  const fields = withSessionDefaults(policy.session ?? {}, input.fields ?? {});
  if (input.email && !fields.provided_details?.email) {
    fields.provided_details = { ...fields.provided_details, email: input.email };
  }
  return fields;
}

function usable(session: VerificationSessionHandle): boolean {
  return session.status === 'requires_input' && (session.url !== null || session.clientSecret !== null);
}

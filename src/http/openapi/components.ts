/**
 * The answer shapes of the HTTP contract, one schema per `present…` function of the routes (named after
 * it in each description), referenced from the routes' `responses`. test/integration/openapi.test.ts checks
 * real answers against them, so a present function that changes shape fails there.
 */
import { MANUAL_DECISIONS, SUBJECT_STATES } from '../../domain/index.js';
import { ERROR_CATALOGUE } from '../../errors.js';
import { OPERATOR_ROLES } from '../../store/operator-records.js';
import { EVENT_STATUSES, OUTBOX_STATUSES, REVIEW_STATUSES } from '../../store/records.js';
import {
  anyObject,
  arrayOf,
  bool,
  int,
  isoTime,
  nullable,
  obj,
  oneOf,
  page,
  ref,
  str,
  type Schema,
} from './json-schema.js';

const text = nullable(str());
const time = nullable(isoTime);

const error = obj({
  error: obj(
    {
      code: oneOf(Object.keys(ERROR_CATALOGUE), 'Stable: branch on it, not on the message.'),
      message: str('For people; may change.'),
      retryable: bool,
    },
    { param: str('The input at fault: a query or body field, dotted for nested fields.') },
  ),
});

const review = obj({
  id: str(),
  subject: str('The subject ref.'),
  status: oneOf(REVIEW_STATUSES),
  topic: str(),
  reason: str(),
  session_id: text,
  opened_at: isoTime,
  decided_at: time,
  note: text,
  actor: text,
});

const match = nullable(
  obj(
    {
      status: str('pending, matched, mismatched or unavailable'),
      fields: nullable(anyObject('Per field: match, mismatch, absent or unavailable; never the values.')),
      checked_at: time,
    },
    { reason: str() },
  ),
);

const subject = obj(
  {
    ref: str(),
    state: oneOf(SUBJECT_STATES),
    attempts: obj({ used: int(), max: int(), left: int() }),
    match,
    sessions: arrayOf(obj({ id: str(), status: str(), last_error: nullable(anyObject()), created: isoTime })),
    review: nullable(ref('Review')),
    history: arrayOf(
      obj(
        { at: isoTime, from: text, to: str(), event_id: text, reason: text, decision: text },
        { actor: str() },
      ),
    ),
  },
  { account: str('The Connect account, for a subject of one.') },
);

const event = obj({
  id: str(),
  type: str(),
  status: oneOf(EVENT_STATUSES),
  attempts: int(),
  received_at: isoTime,
  processed_at: time,
  last_error: text,
  ignored_reason: text,
  session: text,
  subject: text,
});

const reviewCase = {
  allOf: [
    ref('Review'),
    obj({
      owner: nullable(obj({ id: str(), name: text })),
      claimed_at: time,
    }),
  ],
};

const reaction = obj({
  id: int(),
  kind: str('email, callback, review_case, …'),
  topic: str(),
  status: oneOf(OUTBOX_STATUSES),
  attempts: int(),
  subject: text,
  session_id: text,
  event_id: text,
  idempotency_key: str(),
  next_attempt_at: time,
  last_error: text,
  result: {},
  created_at: isoTime,
  completed_at: time,
});

const audit = obj({
  id: int(),
  at: isoTime,
  actor: str(),
  actor_id: str(),
  action: str(),
  subject: text,
  target: text,
});

const operator = obj({ id: str(), name: str(), role: oneOf(OPERATOR_ROLES) });

export const COMPONENT_SCHEMAS: Record<string, Schema> = {
  Error: error,
  Review: review,
  Subject: subject,
  SubjectErased: obj({ ref: str(), erased: bool }),
  SessionOpened: obj({ session_id: str(), url: text, client_secret: text }),
  Event: event,
  EventDetail: {
    allOf: [event, obj({ payload: nullable(anyObject('The event as received, personal values •••.')) })],
  },
  EventPage: page(event),
  Accepted: obj({ id: { type: ['string', 'integer'] }, status: str() }),
  Case: reviewCase,
  CasePage: page(reviewCase),
  CaseDetail: {
    allOf: [
      reviewCase,
      obj(
        { evidence: anyObject('The session at Stripe, the report checks, attempts, a Dashboard link.') },
        {
          verified_match: anyObject('The comparison with the expected data: results per field, no values.'),
        },
      ),
    ],
  },
  Decision: obj(
    { decision: oneOf(MANUAL_DECISIONS), note: str('Why, for the record; required.') },
    { actor: nullable(str('Who decided: honoured for the break-glass operator only, ignored otherwise.')) },
  ),
  Reveal: anyObject(
    'Verified outputs read live from Stripe, `files`, and `side_by_side` when expected data exists.',
  ),
  Reaction: reaction,
  ReactionPage: page(reaction),
  Replayed: obj({ replayed: int() }),
  AuditEntry: audit,
  AuditPage: page(audit),
  SubjectSummary: obj({
    ref: str(),
    state: oneOf(SUBJECT_STATES),
    attempts: obj({ used: int(), max: int(), left: int() }),
    last_error_code: text,
    updated_at: isoTime,
  }),
  SubjectPage: page(ref('SubjectSummary')),
  UnlinkedSessionPage: page(
    obj({
      id: str(),
      status: text,
      last_error: nullable(anyObject()),
      created: time,
      livemode: nullable(bool),
    }),
  ),
  Timeline: obj({
    ref: str(),
    data: arrayOf(
      obj({ at: isoTime, kind: oneOf(['session', 'event', 'state', 'review', 'reaction', 'audit']) }),
    ),
  }),
  Stats: anyObject('The insights figures (README "Insights").'),
  Export: anyObject('Everything idv holds about the subject.'),
  SignedIn: obj({ operator, csrf_token: str() }),
  SessionState: obj({ operator: nullable(operator) }, { csrf_token: str() }),
  Ok: obj({ ok: bool }),
};

/**
 * The pure domain of idv-outcomes: vocabulary, event parsing, the session state machine, the policy,
 * subject derivation, reaction planning and history. Nothing here performs I/O or reads a clock; the
 * worker feeds it stored events and writes back what it returns.
 */
export * from './terms.js';
export { parseSessionEvent, resolveSubjectRef, isPlaceholder } from './session-event.js';
export type { SessionEvent, SessionSnapshot } from './session-event.js';
export { applySessionEvent, compareMarks, markOf, failureKey, failureOf, EVENT_RANK } from './session.js';
export type { AppliedMark, ApplyEffect, ApplyResult, FailedSubmission, SessionRecord } from './session.js';
export {
  DEFAULT_POLICY,
  DEFAULT_CATEGORIES,
  EXHAUSTED_OUTCOMES,
  MAX_ATTEMPTS_LIMIT,
  PolicyError,
  categorize,
  parsePolicy,
} from './policy.js';
export type { ExhaustedOutcome, Policy } from './policy.js';
export {
  DOCUMENT_TYPES,
  SESSION_FIELD_NAMES,
  SESSION_TYPES,
  SessionRequestError,
  parseSessionDefaults,
  readSessionFields,
  withSessionDefaults,
} from './session-request.js';
export type {
  DocumentCheckOptions,
  SessionCheckOptions,
  SessionDefaults,
  SessionFields,
} from './session-request.js';
export {
  MATCH_FIELDS,
  MATCH_RESULTS,
  MATCH_STATUSES,
  ageOn,
  compareVerified,
  normaliseName,
  parseDob,
  sideBySide,
} from './verified-match.js';
export type {
  ExpectedData,
  MatchField,
  MatchOutcome,
  MatchResult,
  MatchStatus,
  SideBySideRow,
  VerifiedData,
} from './verified-match.js';
export { EXPECTED_FIELDS, readExpected } from './expected-data.js';
export { ACCOUNT_SEPARATOR, isAccountId, splitSubjectKey, subjectKey } from './subject-key.js';
export {
  DEFAULT_VERIFIED_OUTPUTS_POLICY,
  MISMATCH_ACTIONS,
  PENDING_MATCH,
  UNAVAILABLE_ACTIONS,
  fieldsWith,
  matchVerdict,
} from './match-outcome.js';
export type { MatchVerdict, SessionMatch, VerifiedOutputsPolicy } from './match-outcome.js';
export { deriveSubject, isSameOutcome, outcomeKeyOf, compareSessions } from './subject.js';
export type {
  Attempts,
  DeriveSubjectInput,
  ManualDecision,
  OutcomeKey,
  SubjectCause,
  SubjectRule,
  SubjectView,
} from './subject.js';
export { idempotencyKey, planReactions, planSessionReactions } from './reactions.js';
export type {
  PlannedReaction,
  ReactionContext,
  ReactionTopic,
  ReviewTopic,
  SessionReactionContext,
} from './reactions.js';
export { buildHistoryEntry } from './history.js';
export type { HistoryContext, HistoryEntry } from './history.js';
export { stepSubject } from './step.js';
export type { SubjectStep, SubjectStepInput } from './step.js';
export {
  ANNOUNCED_STATES,
  EMPTY_ANNOUNCEMENTS,
  announcementsFrom,
  isAnnouncedState,
  nextAnnouncement,
} from './announcements.js';
export type { AnnouncementLog } from './announcements.js';

/**
 * What a reviewer sees beside a case (GET /admin/api/reviews/:id `evidence`), and what only a reveal shows.
 *
 * Evidence holds nothing personal: the session as Stripe reports it now (type, options, status,
 * `last_error`), the checks of its verification report (status and error code of document, selfie and
 * id_number, document type, issuing country), the subject's attempts, sessions and history, and a link to
 * the session in Stripe's Dashboard. Reports are cached (after stripping) because a report never changes
 * once written (reference §3.2); sessions are read live because their status does.
 *
 * A reveal (`revealOutputs`) reads the verified name, date of birth, ID number and the report's document
 * fields live from Stripe; it is never cached, and the route audits it before answering. Stripe refuses
 * sensitive fields to a plain secret key and, for a restricted key, 48 hours after processing
 * (reference §1): that refusal is 409 `outputs_unavailable` with Stripe's reason. The reveal lists the
 * report's document and selfie images; `caseFile` streams one of them (only a file of that case's report),
 * under the same refusal.
 */
import { IdvError } from '../errors.js';
import type { CachedReport, ReviewRecord, SubjectDetail } from '../store/records.js';
import type { ReportCache, SubjectsAndReviews } from '../store/store.js';
import type { FileContents } from '../stripe/files.js';
import { StripeGatewayError, type StripeGateway } from '../stripe/gateway.js';
import { presentSubject } from './routes/app-subjects.js';

export interface EvidenceDeps {
  store: ReportCache & Pick<SubjectsAndReviews, 'getSubject'>;
  stripe?: StripeGateway | undefined;
  clock: () => number;
}

type Json = Record<string, unknown>;

function pick(source: unknown, keys: string[]): Json | null {
  if (source === null || typeof source !== 'object') return null;
  const out: Json = {};
  for (const key of keys) out[key] = (source as Json)[key] ?? null;
  return out;
}

/** A report with its checks only: names, dates, numbers, addresses and files are left behind. */
export function strippedReport(report: Json): Json {
  return {
    ...pick(report, ['id', 'created', 'livemode', 'type', 'verification_session', 'options']),
    document: pick(report.document, ['status', 'error', 'type', 'issuing_country']),
    selfie: pick(report.selfie, ['status', 'error']),
    id_number: pick(report.id_number, ['status', 'error', 'id_number_type']),
  };
}

function dashboardUrl(sessionId: string, livemode: boolean): string {
  return `https://dashboard.stripe.com/${livemode ? '' : 'test/'}identity/verification-sessions/${sessionId}`;
}

function failure(err: unknown): string {
  return err instanceof StripeGatewayError ? `Stripe: ${err.message}` : 'Stripe could not be reached.';
}

async function reportOf(deps: EvidenceDeps, id: string, sessionId: string): Promise<Json> {
  const cached = await deps.store.getCachedReport(id);
  if (cached) return cached.report;
  if (!deps.stripe) throw new IdvError('stripe_not_configured', 'STRIPE_SECRET_KEY is not set.');
  const report = strippedReport(await deps.stripe.retrieveReport(id));
  const entry: CachedReport = { id, sessionId, report, fetchedAt: deps.clock() };
  await deps.store.cacheReport(entry);
  return report;
}

function caseSession(review: ReviewRecord, detail: SubjectDetail) {
  const id = review.sessionId ?? detail.subject.view.cause.sessionId;
  return { id, stored: detail.sessions.find((s) => s.id === id)?.record ?? null };
}

export async function reviewEvidence(deps: EvidenceDeps, review: ReviewRecord): Promise<Json> {
  const detail = await deps.store.getSubject(review.subjectRef);
  if (!detail) return { available: false, reason: 'The subject is gone (erased or purged).' };
  const subject = presentSubject(detail);
  const { id: sessionId, stored } = caseSession(review, detail);
  let session: Json | null = null;
  let sessionError: string | null = null;
  if (sessionId && deps.stripe) {
    try {
      const live = await deps.stripe.retrieveSessionObject(sessionId);
      session = pick(live, ['id', 'type', 'options', 'status', 'last_error', 'created', 'livemode']);
      if (session) session.last_verification_report = live.last_verification_report ?? null;
    } catch (err) {
      sessionError = failure(err);
    }
  } else if (sessionId)
    sessionError = 'STRIPE_SECRET_KEY is not set: the session cannot be read from Stripe.';
  const reportId = (session?.last_verification_report as string | null) ?? stored?.lastReportId ?? null;
  let report: Json | null = null;
  let reportError: string | null = null;
  if (reportId && sessionId) {
    try {
      report = await reportOf(deps, reportId, sessionId);
    } catch (err) {
      reportError = err instanceof IdvError ? err.message : failure(err);
    }
  }
  // The comparison of verified outputs with what the app knows is computed elsewhere; shown when present.
  const match = (detail.subject.view as unknown as { match?: unknown }).match ?? null;
  return {
    session,
    session_error: sessionError,
    report,
    report_error: reportError,
    attempts: subject.attempts,
    sessions: subject.sessions,
    history: subject.history,
    dashboard_url: sessionId ? dashboardUrl(sessionId, stored?.livemode ?? false) : null,
    match,
  };
}

/** What a case may reveal: its session, known to the subject, not redacted, and Stripe configured. */
async function revealable(deps: EvidenceDeps, review: ReviewRecord) {
  const detail = await deps.store.getSubject(review.subjectRef);
  if (!detail) throw new IdvError('outputs_unavailable', 'The subject is gone: nothing to reveal.');
  const { id: sessionId, stored } = caseSession(review, detail);
  if (!sessionId) throw new IdvError('outputs_unavailable', 'The case names no session.');
  if (!deps.stripe) throw new IdvError('stripe_not_configured', 'STRIPE_SECRET_KEY is not set.');
  if (stored?.redacted) throw new IdvError('outputs_unavailable', `Session ${sessionId} was redacted.`);
  return { sessionId, reportId: stored?.lastReportId ?? null, stripe: deps.stripe };
}

/** Stripe's refusal (4xx) is 409 outputs_unavailable; anything else is a 502. */
function refusal(err: unknown): unknown {
  if (err instanceof StripeGatewayError && err.statusCode !== null && err.statusCode < 500) {
    return new IdvError('outputs_unavailable', `Stripe no longer shows this data: ${err.message}`, {
      stripe_code: err.stripeCode,
    });
  }
  if (err instanceof StripeGatewayError) {
    return new IdvError('stripe_error', err.message, { request_id: err.requestId });
  }
  return err;
}

const FILE_LABELS = ['Document front', 'Document back'];

/** The identity files a report lists: document.files, then the selfie check's document face and selfie. */
export function reportFiles(report: Json | null): { id: string; label: string }[] {
  const document = (report?.document ?? null) as { files?: unknown } | null;
  const selfie = (report?.selfie ?? null) as { document?: unknown; selfie?: unknown } | null;
  const files = Array.isArray(document?.files) ? (document.files as unknown[]) : [];
  const out = files
    .filter((f): f is string => typeof f === 'string')
    .map((id, i) => ({ id, label: FILE_LABELS[i] ?? `Document page ${i + 1}` }));
  if (typeof selfie?.document === 'string') out.push({ id: selfie.document, label: 'Face on the document' });
  if (typeof selfie?.selfie === 'string') out.push({ id: selfie.selfie, label: 'Selfie' });
  return out;
}

/** The personal data of a case's session, live from Stripe (never stored). */
export async function revealOutputs(deps: EvidenceDeps, review: ReviewRecord): Promise<Json> {
  const { sessionId, reportId, stripe } = await revealable(deps, review);
  try {
    const verifiedOutputs = await stripe.revealVerifiedOutputs(sessionId);
    const report = reportId ? await stripe.retrieveReport(reportId) : null;
    return {
      session_id: sessionId,
      verified_outputs: verifiedOutputs,
      document: pick(report?.document, ['first_name', 'last_name', 'dob', 'expiration_date', 'number']),
      files: reportFiles(report).map((f) => ({
        ...f,
        url: `/admin/api/reviews/${encodeURIComponent(review.id)}/files/${encodeURIComponent(f.id)}`,
      })),
    };
  } catch (err) {
    throw refusal(err);
  }
}

/** One image of the case's report, live from Stripe: only a file that report lists (else 404). */
export async function caseFile(
  deps: EvidenceDeps,
  review: ReviewRecord,
  fileId: string,
): Promise<FileContents> {
  const { reportId, stripe } = await revealable(deps, review);
  if (!reportId) throw new IdvError('not_found', 'The case has no verification report.');
  try {
    const report = await stripe.retrieveReport(reportId);
    if (!reportFiles(report).some((f) => f.id === fileId)) {
      throw new IdvError('not_found', `File ${fileId} is not one of this case's report.`);
    }
    return await stripe.retrieveFileContents(fileId);
  } catch (err) {
    throw refusal(err);
  }
}

/**
 * Renders a VerificationReport (`vr_…`, reference §3.2): one per processed submission, pointing back to its
 * session. The check the failure code belongs to is `unverified` with the error; the others are verified.
 * Sensitive sub-fields (document number, dob, …) are left out: nothing in idv reads them. The document and
 * selfie file ids are specimen images (specimen-files.ts, served by routes/files.ts).
 */
import { checkOf } from './error-codes.js';
import type { EmulatedReport } from './model.js';
import { reportFiles } from './specimen-files.js';

const REDACTED = '[redacted]';

export function renderReport(report: EmulatedReport): Record<string, unknown> {
  // A redacted report keeps its shape; personal fields hold placeholders (reference §2.2).
  const name = (value: string) => (report.redacted ? REDACTED : value);
  const failedCheck = report.error?.code ? checkOf(report.error.code) : null;
  const check = (name: string): Record<string, unknown> => {
    // A session-level failure (abandoned, consent_declined, …) has no check of its own; show it on the document.
    const failed =
      report.outcome === 'unverified' &&
      (failedCheck === name || (failedCheck === 'session' && name === 'document'));
    return { status: failed ? 'unverified' : 'verified', error: failed ? report.error : null };
  };
  const out: Record<string, unknown> = {
    id: report.id,
    object: 'identity.verification_report',
    client_reference_id: report.client_reference_id,
    created: report.created,
    livemode: false,
    options: structuredClone(report.options),
    type: report.type,
    verification_session: report.session_id,
  };
  if (report.type === 'document' || report.options.document) {
    const document = check('document');
    // A document that passed its check was read, whatever failed after it (a selfie, say).
    const read = document.status === 'verified';
    const files = reportFiles(report);
    out.document = {
      ...document,
      address: null,
      files: files.document,
      first_name: read ? name('Jenny') : null,
      last_name: read ? name('Rosen') : null,
      issued_date: { day: 1, month: 1, year: 2020 },
      issuing_country: 'US',
      type: report.options.document?.allowed_types?.[0] ?? 'driving_license',
    };
    if (report.options.document?.require_matching_selfie)
      out.selfie = {
        ...check('selfie'),
        document: files.selfie?.document ?? null,
        selfie: files.selfie?.selfie ?? null,
      };
  }
  if (report.type === 'id_number' || report.options.document?.require_id_number) {
    out.id_number = {
      ...check('id_number'),
      first_name: name('Jenny'),
      last_name: name('Rosen'),
      id_number_type: 'us_ssn',
    };
  }
  return out;
}

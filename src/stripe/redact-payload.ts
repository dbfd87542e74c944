/**
 * A stored event of a redacted session, without its personal data. Stripe redacts the session and its
 * Events on its side (reference §2.2: personal fields become placeholders, `metadata` is erased); idv does
 * the same to its copies at once, instead of keeping them until retention. What the worker needs to fold the
 * event again — ids, type, times, status, `last_error`, the report id, the redaction state — is kept.
 */
const PERSONAL_FIELDS = [
  'provided_details',
  'verified_outputs',
  'related_person',
  'client_reference_id',
] as const;

export function redactPayload(payload: string): string {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    // Not JSON (never stored by the receiver): nothing readable to keep.
    return JSON.stringify({ redacted: true });
  }
  const object = (event as { data?: { object?: Record<string, unknown> } } | null)?.data?.object;
  if (typeof object !== 'object' || object === null) return payload;
  for (const field of PERSONAL_FIELDS) if (field in object) object[field] = null;
  if ('metadata' in object) object['metadata'] = {};
  reportIdOnly(object);
  return JSON.stringify(event);
}

/** An expanded report holds the document and selfie results and their file ids: only its id is kept. */
export function reportIdOnly(session: Record<string, unknown>): void {
  const report = session['last_verification_report'];
  if (typeof report === 'object' && report !== null && 'id' in report) {
    session['last_verification_report'] = (report as { id: unknown }).id;
  }
}

/**
 * Renders a session record to the wire shape of stripe-node 23.1.0 (reference §1).
 *
 * - `url` and `client_secret` are only given while the session is `requires_input` and not redacted: the
 *   docs examples show them null once verified or redacted (§2.1; "always null outside requires_input" is
 *   [unconfirmed], and the emulator chooses the strict reading so consumers never depend on them).
 * - `verified_outputs` and `provided_details` are expandable: absent unless expanded, never in events (§1,
 *   §2.3). Inside `verified_outputs`, `dob`, `id_number`, `sex`, `unparsed_place_of_birth` and
 *   `unparsed_sex` need their own expand and a restricted key (§1 table); `last_verification_report` expands
 *   to the full report.
 */
import { ApiError, invalidParam } from './api-error.js';
import type { EmulatedReport, EmulatedSession, VerifiedOutputs } from './model.js';
import { renderReport } from './report-render.js';

export type KeyKind = 'secret' | 'restricted';

const SENSITIVE_OUTPUTS = ['dob', 'id_number', 'sex', 'unparsed_place_of_birth', 'unparsed_sex'] as const;
type SensitiveOutput = (typeof SENSITIVE_OUTPUTS)[number];

export const SESSION_EXPANDABLE: readonly string[] = [
  'verified_outputs',
  ...SENSITIVE_OUTPUTS.map((field) => `verified_outputs.${field}`),
  'last_verification_report',
  'provided_details',
];

export interface RenderContext {
  /** `http://host:port`, for the hosted page `url`. */
  baseUrl: string;
  expand: readonly string[];
  keyKind: KeyKind;
  findReport: (id: string) => EmulatedReport | undefined;
}

/** Throws the Stripe-shaped error for an unknown expand path or a sensitive one asked with a secret key. */
export function checkSessionExpand(expand: readonly string[], keyKind: KeyKind): void {
  for (const path of expand) {
    if (!SESSION_EXPANDABLE.includes(path)) {
      throw invalidParam('expand', `This property cannot be expanded (${path}).`);
    }
    if (keyKind !== 'restricted' && SENSITIVE_OUTPUTS.some((field) => path === `verified_outputs.${field}`)) {
      throw new ApiError(
        403,
        'invalid_request_error',
        `Expanding ${path} requires a restricted API key with the "Access recent sensitive verification results" permission.`,
        'secret_key_required',
        'expand',
      );
    }
  }
}

export function renderSession(session: EmulatedSession, context: RenderContext): Record<string, unknown> {
  const open = session.status === 'requires_input' && session.redaction === null;
  const expand = new Set(context.expand);
  const out: Record<string, unknown> = {
    id: session.id,
    object: 'identity.verification_session',
    client_reference_id: session.client_reference_id,
    client_secret: open ? session.client_secret : null,
    created: session.created,
    last_error: session.last_error,
    last_verification_report: session.last_verification_report,
    livemode: false,
    metadata: { ...session.metadata },
    options: structuredClone(session.options),
    redaction: session.redaction && { ...session.redaction },
    related_customer: session.related_customer,
    related_customer_account: session.related_customer_account,
    status: session.status,
    type: session.type,
    url: open ? `${context.baseUrl}/verify/${session.id}` : null,
  };
  // Optional in stripe-node's declarations: present only when the session has them.
  if (session.related_person) out.related_person = { ...session.related_person };
  if (session.verification_flow) out.verification_flow = session.verification_flow;
  if (expand.has('provided_details'))
    out.provided_details = session.provided_details && { ...session.provided_details };
  const report = session.last_verification_report && context.findReport(session.last_verification_report);
  if (expand.has('last_verification_report') && report) out.last_verification_report = renderReport(report);
  const sensitive = SENSITIVE_OUTPUTS.filter((field) => expand.has(`verified_outputs.${field}`));
  if (sensitive.length > 0 && !session.sensitive_outputs_readable) {
    // [assumed] Stripe documents the 48-hour limit but not its error; a 403 permission error like the
    // secret-key refusal, with its own code, is the emulator's reading.
    throw new ApiError(
      403,
      'invalid_request_error',
      `Sensitive verification results of ${session.id} were processed more than 48 hours ago and can only be read with an IP-restricted key.`,
      'sensitive_data_access_expired',
      'expand',
    );
  }
  if (expand.has('verified_outputs') || sensitive.length > 0) {
    out.verified_outputs = session.verified_outputs && renderOutputs(session.verified_outputs, sensitive);
  }
  return out;
}

function renderOutputs(
  outputs: VerifiedOutputs,
  sensitive: readonly SensitiveOutput[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    address: outputs.address && { ...outputs.address },
    email: outputs.email,
    first_name: outputs.first_name,
    id_number_type: outputs.id_number_type,
    last_name: outputs.last_name,
    phone: outputs.phone,
  };
  for (const field of sensitive) {
    const value = outputs[field];
    out[field] = value !== null && typeof value === 'object' ? { ...value } : value;
  }
  return out;
}

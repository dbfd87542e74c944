/**
 * A user's submission fails at the emulator with `code` (its test helper), and idv is told by a signed
 * `requires_input` event naming the report, as Stripe would deliver it. Resolves with the report id.
 */
import type Stripe from 'stripe';
import { WEBHOOK_SECRET } from './service.js';
import { postSigned, sessionEvent } from './stripe-events.js';

export async function failSubmission(
  stripe: Stripe,
  serviceUrl: string,
  failure: { ref: string; sessionId: string; code: string },
): Promise<string> {
  const helper = `/v1/test_helpers/identity/verification_sessions/${failure.sessionId}`;
  await stripe.rawRequest('POST', `${helper}/require_input`, { last_error: { code: failure.code } });
  const failed = await stripe.identity.verificationSessions.retrieve(failure.sessionId);
  const reportId = failed.last_verification_report as string;
  const event = sessionEvent({
    type: 'identity.verification_session.requires_input',
    sessionId: failure.sessionId,
    subject: failure.ref,
    code: failure.code,
    reportId,
  });
  const answer = await postSigned(serviceUrl, event, WEBHOOK_SECRET);
  if (answer.status !== 200) throw new Error(`idv answered ${answer.status} to the failed submission`);
  return reportId;
}

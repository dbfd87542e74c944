/** `idv trigger`'s settings: where to send the event, the secret to sign it with, what to put in it. */
import type { Reader } from './reader.js';
import { WEBHOOK_SECRET_VARIABLE, readWebhookSecrets } from './webhook.js';

export interface TriggerSettings {
  readonly to: string;
  readonly secret: string;
  readonly code: string | undefined;
  readonly subject: string | undefined;
  readonly sessionId: string | undefined;
}

export const DEFAULT_TRIGGER_TO = 'http://127.0.0.1:4242/webhook';

/** `--secret` overrides STRIPE_WEBHOOK_SECRET (the flag is declared with that variable). */
export function readTrigger(read: Reader): TriggerSettings {
  // Signs with the first secret: during a rotation that is the one the receiver was given first. The form
  // is not checked, so a wrong secret can be sent on purpose to see the receiver refuse it.
  const secret = readWebhookSecrets(read)[0];
  if (secret === undefined)
    read.problem(
      WEBHOOK_SECRET_VARIABLE.name,
      `required: no webhook signing secret; pass --secret whsec_… or set ${WEBHOOK_SECRET_VARIABLE.name}`,
    );
  const sessionId = read.string('--session');
  if (sessionId !== undefined && !sessionId.startsWith('vs_'))
    read.problem('--session', `expected a VerificationSession id (vs_…), got "${sessionId.slice(0, 30)}"`);
  return {
    to: read.url('--to', DEFAULT_TRIGGER_TO) ?? DEFAULT_TRIGGER_TO,
    secret: secret ?? '',
    code: read.string('--code'),
    subject: read.string('--subject'),
    sessionId,
  };
}

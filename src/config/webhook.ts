/** The webhook receiver's settings: signing secrets, signature tolerance, body limit (DESIGN.md "Configuration"). */
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

export interface WebhookSettings {
  readonly webhookSecrets: readonly string[];
  readonly webhookToleranceSec: number;
  readonly maxBodyBytes: number;
}

export const WEBHOOK_SECRET_VARIABLE: EnvSpec = {
  name: 'STRIPE_WEBHOOK_SECRET',
  description: 'endpoint signing secret(s), whsec_…; several comma-separated during a rotation',
};

export const WEBHOOK_VARIABLES: readonly EnvSpec[] = [
  WEBHOOK_SECRET_VARIABLE,
  { name: 'IDV_WEBHOOK_TOLERANCE', description: 'seconds a signature timestamp may be old (or ahead)' },
  { name: 'IDV_MAX_BODY_BYTES', description: 'largest webhook body accepted (413 above)' },
];

/**
 * The one parser of the secret list: Stripe signs with every active secret of the endpoint during a
 * rotation (reference §5), so the variable holds several, comma-separated, any of which may match.
 */
export function readWebhookSecrets(read: Reader): string[] {
  return read.list(WEBHOOK_SECRET_VARIABLE.name);
}

export function readWebhook(read: Reader, options: { requireWebhookSecret: boolean }): WebhookSettings {
  const name = WEBHOOK_SECRET_VARIABLE.name;
  const webhookSecrets = readWebhookSecrets(read);
  if (options.requireWebhookSecret && webhookSecrets.length === 0) {
    read.problem(
      name,
      'required; the endpoint signing secret(s) from Stripe, `whsec_…`, several comma-separated during a rotation (run `idv endpoint create --url …` or see the Dashboard)',
    );
  }
  for (const secret of webhookSecrets) {
    if (!secret.startsWith('whsec_') || secret.length < 10) {
      read.problem(name, `expected values of the form whsec_…, got one starting "${secret.slice(0, 6)}"`);
    }
  }
  return {
    webhookSecrets,
    webhookToleranceSec: read.int('IDV_WEBHOOK_TOLERANCE', 300, 1, 86_400),
    maxBodyBytes: read.int('IDV_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
  };
}

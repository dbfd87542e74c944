/**
 * `idv trigger <event-type> [--code CODE] [--subject REF] [--session vs_…] [--to URL] [--secret whsec_…]`:
 * builds a realistic Identity event (src/emulator/event-builder.ts), signs it like Stripe and POSTs it.
 * Exists because the Stripe CLI cannot trigger `verified`, `processing` or `requires_input` (reference §10).
 * Prints the HTTP status and body; exit code 0 on a 2xx, else 1.
 */
import { readTrigger } from '../../config/trigger.js';
import { WEBHOOK_SECRET_VARIABLE } from '../../config/webhook.js';
import {
  IDENTITY_EVENT_TYPES,
  buildTriggerEvent,
  resolveIdentityEventType,
  sendSignedEvent,
} from '@idv-outcomes/emulator';
import { defineCommand } from '../command.js';

export const trigger = defineCommand({
  name: 'trigger',
  summary: 'send one signed Identity event to a URL',
  args: '<event-type>',
  details: `event-type: ${IDENTITY_EVENT_TYPES.join(', ')} (or the last part, e.g. verified)`,
  flags: [
    { name: 'code', value: 'CODE', description: 'last_error.code of a requires_input event' },
    { name: 'subject', value: 'REF', description: 'the subject: metadata.user_id and client_reference_id' },
    { name: 'session', value: 'vs_…', description: 'the VerificationSession id (default a new one)' },
    { name: 'to', value: 'URL', description: 'where to POST the event' },
    {
      name: 'secret',
      value: 'whsec_…',
      env: WEBHOOK_SECRET_VARIABLE.name,
      description: 'the signing secret (of a list, the first)',
    },
  ],
  env: [WEBHOOK_SECRET_VARIABLE],
  settings: readTrigger,
  settingsErrorExit: 1,
  async run({ settings, args, stdout, stderr, clock, fail }) {
    const [typeArg, ...extra] = args;
    if (typeArg === undefined) return fail('missing <event-type>\nRun "idv trigger --help" for the types.');
    if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`);
    const type = resolveIdentityEventType(typeArg);
    if (!type)
      return fail(`unknown event type "${typeArg}"; expected one of ${IDENTITY_EVENT_TYPES.join(', ')}`);
    if (settings.code !== undefined && type !== 'identity.verification_session.requires_input') {
      stderr.write(
        'idv trigger: --code only applies to identity.verification_session.requires_input; ignored\n',
      );
    }
    const event = buildTriggerEvent({
      type,
      nowSec: Math.floor(clock() / 1000),
      code: settings.code,
      subject: settings.subject,
      sessionId: settings.sessionId,
    });
    const to = settings.to;
    stdout.write(`→ POST ${to}  ${event.type}  ${event.id}  (session ${String(event.data.object.id)})\n`);
    const result = await sendSignedEvent({ url: to, event, secret: settings.secret, clock });
    if (result.status === null) return fail(`request to ${to} failed: ${result.error}`);
    stdout.write(
      `← HTTP ${result.status}\n${result.body}${result.body.endsWith('\n') || result.body === '' ? '' : '\n'}`,
    );
    return result.status >= 200 && result.status < 300 ? 0 : 1;
  },
});

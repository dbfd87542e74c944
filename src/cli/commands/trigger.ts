/**
 * `idv trigger <event-type> [--code CODE] [--subject REF] [--session vs_…] [--to URL] [--secret whsec_…]`:
 * builds a realistic Identity event (packages/emulator/src/event-builder.ts), signs it like Stripe and POSTs it.
 * Exists because the Stripe CLI cannot trigger `verified`, `processing` or `requires_input` (reference §10).
 * Prints the HTTP status and body; exit code 0 on a 2xx, else 1.
 */
import { parseArgs, stringFlag } from '../args.js';
import {
  IDENTITY_EVENT_TYPES,
  buildTriggerEvent,
  resolveIdentityEventType,
  sendSignedEvent,
} from '@idv-outcomes/emulator';

export interface TriggerCommandDeps {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Milliseconds since the epoch; signatures and `created` use it. */
  now?: () => number;
}

const DEFAULT_TO = 'http://127.0.0.1:4242/webhook';
const FLAGS = ['code', 'subject', 'session', 'to', 'secret', 'help'];
const USAGE = `Usage: idv trigger <event-type> [--code CODE] [--subject REF] [--session vs_…] [--to URL] [--secret whsec_…]
  event-type: ${IDENTITY_EVENT_TYPES.join(', ')} (or the last part, e.g. verified)
  --to      default ${DEFAULT_TO}
  --secret  default $STRIPE_WEBHOOK_SECRET (the first one when it lists several)
`;

export async function run(argv: string[], deps: TriggerCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const fail = (message: string): number => {
    stderr.write(`idv trigger: ${message}\n`);
    return 1;
  };

  let args;
  try {
    args = parseArgs(argv);
    const unknown = Object.keys(args.flags).find((name) => !FLAGS.includes(name));
    if (unknown) return fail(`unknown flag --${unknown}\n${USAGE}`);
    if (args.flags.help === true) {
      stdout.write(USAGE);
      return 0;
    }
    for (const name of FLAGS.filter((flag) => flag !== 'help')) stringFlag(args, name);
  } catch (err) {
    return fail((err as Error).message);
  }

  const [typeArg, ...extra] = args.positionals;
  if (typeArg === undefined) return fail(`missing <event-type>\n${USAGE}`);
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`);
  const type = resolveIdentityEventType(typeArg);
  if (!type)
    return fail(`unknown event type "${typeArg}"; expected one of ${IDENTITY_EVENT_TYPES.join(', ')}`);

  const secret = stringFlag(args, 'secret') ?? env.STRIPE_WEBHOOK_SECRET?.split(',')[0]?.trim();
  if (!secret) return fail('no webhook signing secret: pass --secret whsec_… or set STRIPE_WEBHOOK_SECRET');

  const code = stringFlag(args, 'code');
  if (code !== undefined && type !== 'identity.verification_session.requires_input') {
    stderr.write(
      `idv trigger: --code only applies to identity.verification_session.requires_input; ignored\n`,
    );
  }
  const session = stringFlag(args, 'session');
  if (session !== undefined && !session.startsWith('vs_'))
    return fail(`--session must be a VerificationSession id (vs_…), got "${session}"`);
  const to = stringFlag(args, 'to') ?? DEFAULT_TO;
  try {
    new URL(to);
  } catch {
    return fail(`--to must be a URL (got "${to}")`);
  }

  const now = deps.now ?? Date.now;
  const event = buildTriggerEvent({
    type,
    nowSec: Math.floor(now() / 1000),
    code,
    subject: stringFlag(args, 'subject'),
    sessionId: session,
  });
  stdout.write(`→ POST ${to}  ${event.type}  ${event.id}  (session ${String(event.data.object.id)})\n`);
  const result = await sendSignedEvent({ url: to, event, secret, clock: now });
  if (result.status === null) return fail(`request to ${to} failed: ${result.error}`);
  stdout.write(
    `← HTTP ${result.status}\n${result.body}${result.body.endsWith('\n') || result.body === '' ? '' : '\n'}`,
  );
  return result.status >= 200 && result.status < 300 ? 0 : 1;
}

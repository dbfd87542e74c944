/**
 * `idv emulator [--port 12111] [--host 127.0.0.1] [--chaos duplicate,reorder,delay]`: runs the local Stripe
 * Identity emulator (packages/emulator) until SIGINT/SIGTERM, printing its URL and each webhook delivery attempt.
 */
import { parseArgs, stringFlag } from '../args.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  parseChaosList,
  startEmulator,
  type ChaosOptions,
} from '@idv-outcomes/emulator';

export interface EmulatorCommandDeps {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops the emulator like SIGINT does; for running the command in-process. */
  signal?: AbortSignal;
}

const USAGE = 'Usage: idv emulator [--port 12111] [--host 127.0.0.1] [--chaos duplicate,reorder,delay]\n';

export async function run(argv: string[], deps: EmulatorCommandDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  let port: number;
  let host: string;
  let chaos: ChaosOptions | undefined;
  try {
    const args = parseArgs(argv);
    if (args.flags.help === true) {
      stdout.write(USAGE);
      return 0;
    }
    const unknown = Object.keys(args.flags).filter((name) => !['port', 'host', 'chaos'].includes(name));
    if (unknown.length > 0 || args.positionals.length > 0)
      throw new Error(`unexpected argument ${unknown[0] ? `--${unknown[0]}` : args.positionals[0]}`);
    port = parsePort(stringFlag(args, 'port'));
    host = stringFlag(args, 'host') ?? DEFAULT_HOST;
    const chaosList = stringFlag(args, 'chaos');
    chaos = chaosList === undefined ? undefined : parseChaosList(chaosList);
  } catch (err) {
    stderr.write(`idv emulator: ${(err as Error).message}\n${USAGE}`);
    return 1;
  }

  const emulator = await startEmulator({
    port,
    host,
    ...(chaos ? { chaos } : {}),
    onDelivery: (a) =>
      stdout.write(
        `${a.ok ? '✓' : '✗'} ${a.eventType} ${a.eventId} → ${a.endpointId} attempt ${a.attempt}${a.duplicate ? ' (duplicate)' : ''}: ${a.status ?? a.error}\n`,
      ),
  });
  stdout.write(
    [
      `Stripe Identity emulator listening on ${emulator.url}`,
      `  API base:       STRIPE_API_BASE=${emulator.url} (any sk_test_… key; rk_test_… for sensitive fields)`,
      `  register:       idv endpoint create --url http://127.0.0.1:4242/webhook --api-base ${emulator.url}`,
      `  test helpers:   POST ${emulator.url}/v1/test_helpers/identity/verification_sessions/<vs_id>/{verify,require_input,processing}`,
      `  hosted page:    ${emulator.url}/verify/<vs_id>`,
      chaos ? `  chaos:          ${Object.keys(chaos).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      deps.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    deps.signal?.addEventListener('abort', stop, { once: true });
    if (deps.signal?.aborted) stop();
  });
  await emulator.close();
  stdout.write('emulator stopped\n');
  return 0;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535 (got "${value}")`);
  return port;
}

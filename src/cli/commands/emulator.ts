/**
 * `idv emulator [--port 12111] [--host 127.0.0.1] [--chaos duplicate,reorder,delay]`: runs the local Stripe
 * Identity (src/emulator) until SIGINT/SIGTERM, printing its URL and each webhook delivery attempt.
 */
import { readEmulator } from '../../config/local.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  parseChaosList,
  startEmulator,
  type ChaosOptions,
} from '@idv-outcomes/emulator';
import { defineCommand } from '../command.js';
import { untilStopped } from '../until-stopped.js';

export const emulator = defineCommand({
  name: 'emulator',
  summary: 'run the local Stripe Identity emulator',
  flags: [
    { name: 'port', value: 'PORT', description: 'where it listens (0: any free port)' },
    { name: 'host', value: 'HOST', description: 'the address to bind' },
    {
      name: 'chaos',
      value: 'MODES',
      description: 'make delivery misbehave as Stripe may: duplicate, reorder, delay (comma-separated)',
    },
  ],
  env: [],
  settings: (read) => readEmulator(read, { port: DEFAULT_PORT, host: DEFAULT_HOST }),
  settingsErrorExit: 1,
  async run({ settings, stdout, signal, fail }) {
    let chaos: ChaosOptions | undefined;
    try {
      chaos = settings.chaos === undefined ? undefined : parseChaosList(settings.chaos);
    } catch (err) {
      return fail(`--chaos: ${(err as Error).message}`);
    }
    const emulator = await startEmulator({
      port: settings.port,
      host: settings.host,
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
    await untilStopped(signal);
    await emulator.close();
    stdout.write('emulator stopped\n');
    return 0;
  },
});

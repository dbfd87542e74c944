import { describe, expect, it } from 'vitest';
import { readEndpoint, EMULATOR_SECRET_KEY } from '../../src/config/endpoint.js';
import { parseFlags, type FlagSpec } from '../../src/config/flags.js';
import { readReplay } from '../../src/config/operations.js';
import { Reader, type Source } from '../../src/config/reader.js';
import { readTrigger } from '../../src/config/trigger.js';

function settings<T>(load: (read: Reader) => T, source: Source): T {
  const read = new Reader(source);
  return read.finish(load(read));
}

function problems(load: (read: Reader) => unknown, source: Source): string {
  const read = new Reader(source);
  try {
    read.finish(load(read));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected problems');
}

const FLAGS: FlagSpec[] = [
  { name: 'port', value: 'PORT', env: 'PORT', description: 'p' },
  { name: 'since', value: 'DURATION', description: 's' },
  { name: 'dead', description: 'd' },
];

describe('flags as a source of settings', () => {
  it('keys a flag by the variable it overrides, else by its own name; a switch is true', () => {
    expect(parseFlags(['--port=1', '--since', '2h', '--dead', 'evt_1', '--', '--x'], FLAGS)).toEqual({
      values: { PORT: '1', '--since': '2h', '--dead': 'true' },
      positionals: ['evt_1', '--x'],
      help: false,
      problems: [],
    });
  });

  it('names a switch given a value and a flag missing one', () => {
    expect(parseFlags(['--dead=yes', '--since'], FLAGS).problems).toEqual([
      '--dead: takes no value',
      '--since: expected a value',
    ]);
  });
});

describe('per-command settings', () => {
  it('trigger signs with the first secret of the list; --secret replaces the list', () => {
    expect(settings(readTrigger, { STRIPE_WEBHOOK_SECRET: 'whsec_a, whsec_b' }).secret).toBe('whsec_a');
    const flags = parseFlags(
      ['--secret', 'whsec_flag'],
      [{ name: 'secret', value: 'S', env: 'STRIPE_WEBHOOK_SECRET', description: '' }],
    ).values;
    expect(settings(readTrigger, { STRIPE_WEBHOOK_SECRET: 'whsec_a', ...flags }).secret).toBe('whsec_flag');
    expect(problems(readTrigger, { STRIPE_WEBHOOK_SECRET: 'whsec_a', '--session': 'sess_1' })).toMatch(
      /--session: expected a VerificationSession id/,
    );
  });

  it('endpoint needs no key against another API base, and a URL there', () => {
    expect(
      settings(readEndpoint, { '--url': 'http://x.test/', STRIPE_API_BASE: 'http://127.0.0.1:1' }),
    ).toMatchObject({
      secretKey: EMULATOR_SECRET_KEY,
    });
    const message = problems(readEndpoint, { STRIPE_API_BASE: 'ftp://x' });
    expect(message).toMatch(/--url: required/);
    expect(message).toMatch(/STRIPE_API_BASE: expected http/);
  });

  it('replay logs at warn unless LOG_LEVEL says otherwise', () => {
    expect(settings(readReplay, {}).logLevel).toBe('warn');
    expect(settings(readReplay, { LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });
});

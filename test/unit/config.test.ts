import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const SECRET = 'whsec_abcdefghijkl';
const serve = { requireWebhookSecret: true };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('has sensible defaults and is frozen', () => {
    const config = loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET }, serve);
    expect(config).toMatchObject({
      port: 4242,
      host: '127.0.0.1',
      role: 'all',
      databaseUrl: 'sqlite:./data/idv.db',
    });
    expect(config.webhookToleranceSec).toBe(300);
    expect(config.maxBodyBytes).toBe(1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.worker)).toBe(true);
  });

  it('refuses to start without STRIPE_WEBHOOK_SECRET and says what to put there', () => {
    expect(errorOf(() => loadConfig([], {}, serve))).toMatch(/STRIPE_WEBHOOK_SECRET: required.*whsec_/);
  });

  it('accepts several comma-separated secrets for a rotation', () => {
    const config = loadConfig([], { STRIPE_WEBHOOK_SECRET: `${SECRET}, whsec_second_secret` }, serve);
    expect(config.webhookSecrets).toEqual([SECRET, 'whsec_second_secret']);
  });

  it('names every bad variable at once with the expected form', () => {
    const message = errorOf(() =>
      loadConfig(
        [],
        { STRIPE_WEBHOOK_SECRET: 'sk_test_wrong', PORT: 'eighty', IDV_ROLE: 'boss', IDV_LIVEMODE: 'yes' },
        serve,
      ),
    );
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRET: expected values of the form whsec_/);
    expect(message).toMatch(/PORT: expected a whole number from 0 to 65535/);
    expect(message).toMatch(/IDV_ROLE \(--role\): expected one of all, receiver, worker, dispatcher/);
    expect(message).toMatch(/IDV_LIVEMODE: expected true or false/);
  });

  it('names LOG_LEVEL when it is not a pino level', () => {
    expect(
      errorOf(() => loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'verbose' }, serve)),
    ).toMatch(/LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/);
  });

  it('lets flags override the environment and rejects unknown flags', () => {
    const config = loadConfig(
      ['--port', '9000', '--db=sqlite:/tmp/x.db', '--role', 'worker'],
      { STRIPE_WEBHOOK_SECRET: SECRET, PORT: '1' },
      serve,
    );
    expect(config).toMatchObject({ port: 9000, databaseUrl: 'sqlite:/tmp/x.db', role: 'worker' });
    expect(errorOf(() => loadConfig(['--prot', '1'], { STRIPE_WEBHOOK_SECRET: SECRET }, serve))).toMatch(
      /--prot: unknown option/,
    );
  });

  it('derives the accepted mode from IDV_LIVEMODE, else the key prefix, else accepts both', () => {
    expect(
      loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_SECRET_KEY: 'sk_live_x' }, serve).acceptedMode,
    ).toBe('live');
    expect(
      loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_SECRET_KEY: 'rk_test_x' }, serve).acceptedMode,
    ).toBe('test');
    expect(
      loadConfig(
        [],
        { STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_SECRET_KEY: 'sk_live_x', IDV_LIVEMODE: 'false' },
        serve,
      ).acceptedMode,
    ).toBe('test');
    expect(loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET }, serve).acceptedMode).toBe('any');
  });

  it('never echoes a URL value, which may carry a password', () => {
    const message = errorOf(() =>
      loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, SMTP_URL: 'not a url :secretpass' }, serve),
    );
    expect(message).toMatch(/SMTP_URL: expected an absolute URL/);
    expect(message).not.toContain('secretpass');
  });

  it('requires a callback secret whenever a callback URL is set', () => {
    expect(
      errorOf(() =>
        loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, IDV_CALLBACK_URL: 'http://127.0.0.1:1/cb' }, serve),
      ),
    ).toMatch(/IDV_CALLBACK_SECRET: required/);
  });

  it('IDV_KEEP_VERIFIED_OUTPUTS is off by default, needs an encryption key, and takes true or false', () => {
    expect(loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET }, serve).keepVerifiedOutputs).toBe(false);
    expect(
      errorOf(() =>
        loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, IDV_KEEP_VERIFIED_OUTPUTS: 'true' }, serve),
      ),
    ).toMatch(/IDV_KEEP_VERIFIED_OUTPUTS: needs IDV_ENCRYPTION_KEY/);
    expect(
      errorOf(() =>
        loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, IDV_KEEP_VERIFIED_OUTPUTS: 'yes' }, serve),
      ),
    ).toMatch(/IDV_KEEP_VERIFIED_OUTPUTS: expected true or false/);
    const kept = loadConfig(
      [],
      {
        STRIPE_WEBHOOK_SECRET: SECRET,
        IDV_KEEP_VERIFIED_OUTPUTS: 'true',
        IDV_ENCRYPTION_KEY: 'a'.repeat(64),
      },
      serve,
    );
    expect(kept.keepVerifiedOutputs).toBe(true);
  });
});

import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../src/cli/command.js';
import { emulator } from '../../src/cli/commands/emulator.js';
import { endpoint as endpointCommand } from '../../src/cli/commands/endpoint.js';
import { IDENTITY_EVENT_TYPES } from '@idv-outcomes/emulator';
import {
  type TestEmulator,
  captureStream,
  startReceiver,
  startTestEmulator,
} from '../../packages/emulator/test/helpers.js';

const runEmulator = (argv: string[], io: CommandIo) => emulator.run(argv, io);
const runEndpoint = (argv: string[], io: CommandIo) => endpointCommand.run(argv, io);
let t: TestEmulator | undefined;
afterEach(async () => {
  await t?.emulator.close();
  t = undefined;
});

async function endpoint(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runEndpoint(argv, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('idv endpoint create', () => {
  it('registers the six Identity events explicitly at the emulator and prints the secret once', async () => {
    t = await startTestEmulator();
    const out = await endpoint([
      'create',
      '--url',
      'http://127.0.0.1:4242/webhook',
      '--api-base',
      t.emulator.url,
    ]);
    expect(out.code).toBe(0);
    const id = /\b(we_\w+)/.exec(out.stdout)?.[1];
    const secret = /\b(whsec_\w+)/.exec(out.stdout)?.[1];
    expect(id).toBeDefined();
    expect(secret).toBeDefined();
    const stored = await t.stripe.webhookEndpoints.retrieve(id!);
    expect(stored.enabled_events).toEqual([...IDENTITY_EVENT_TYPES]);
    expect(stored.enabled_events).toContain('identity.verification_session.redacted');
    expect(stored.api_version).toBe(Stripe.API_VERSION);
    expect(t.emulator.state.endpoints.get(id!)?.secret).toBe(secret);
  });

  it('--connect registers a Connect endpoint, which gets no platform events', async () => {
    t = await startTestEmulator();
    const out = await endpoint(['create', '--url', 'http://127.0.0.1:4242/connect', '--connect'], {
      STRIPE_API_BASE: t.emulator.url,
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Created Connect webhook endpoint we_/);
    const id = /\b(we_\w+)/.exec(out.stdout)![1]!;
    expect(t.emulator.state.endpoints.get(id)?.connect).toBe(true);
    await t.stripe.identity.verificationSessions.create({ type: 'document' });
    const [event] = (await t.stripe.events.list({ limit: 1 })).data;
    expect(event?.pending_webhooks).toBe(0);
  });

  it('reads STRIPE_API_BASE, and the registered endpoint receives redacted events', async () => {
    t = await startTestEmulator();
    const receiver = await startReceiver();
    try {
      const out = await endpoint(['create', '--url', receiver.url], {
        STRIPE_API_BASE: t.emulator.url,
        STRIPE_SECRET_KEY: 'sk_test_mine',
      });
      expect(out.code).toBe(0);
      const secret = /\b(whsec_\w+)/.exec(out.stdout)![1]!;
      const vs = await t.stripe.identity.verificationSessions.create({ type: 'document' });
      await t.stripe.identity.verificationSessions.redact(vs.id);
      const received = await receiver.waitFor(3);
      const types = received.map(
        (req) =>
          t!.stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature'] as string, secret)
            .type,
      );
      expect(types).toEqual([
        'identity.verification_session.created',
        'identity.verification_session.canceled',
        'identity.verification_session.redacted',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('explains what is missing', async () => {
    expect((await endpoint(['create', '--api-base', 'http://127.0.0.1:1'])).stderr).toContain('--url');
    expect((await endpoint(['create', '--url', 'http://x.test/'])).stderr).toContain('STRIPE_SECRET_KEY');
    expect((await endpoint(['list'])).stderr).toContain('unknown subcommand');
    const bad = await endpoint(['create', '--url', 'http://x.test/', '--api-base', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('STRIPE_API_BASE');
  });
});

describe('idv emulator', () => {
  it('prints its URL, serves stripe-node, and stops cleanly', async () => {
    const stdout = captureStream();
    const stop = new AbortController();
    const running = runEmulator(['--port', '0', '--chaos', 'duplicate'], {
      stdout,
      stderr: captureStream(),
      signal: stop.signal,
    });
    await expect.poll(() => /listening on (http:\/\/\S+)/.exec(stdout.text())?.[1]).toBeDefined();
    const url = new URL(/listening on (http:\/\/\S+)/.exec(stdout.text())![1]!);
    const stripe = new Stripe('sk_test_cli', {
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const vs = await stripe.identity.verificationSessions.create({ type: 'document' });
    expect(vs.url).toBe(`${url.origin}/verify/${vs.id}`);
    expect(stdout.text()).toContain('chaos:          duplicate');
    stop.abort();
    expect(await running).toBe(0);
    expect(stdout.text()).toContain('emulator stopped');
  });

  it('rejects an unknown chaos mode and a bad port', async () => {
    const stderr = captureStream();
    expect(await runEmulator(['--chaos', 'explode'], { stdout: captureStream(), stderr })).toBe(1);
    expect(stderr.text()).toContain('unknown mode "explode"');
    expect(await runEmulator(['--port', 'abc'], { stdout: captureStream(), stderr })).toBe(1);
    expect(stderr.text()).toContain('--port');
  });
});

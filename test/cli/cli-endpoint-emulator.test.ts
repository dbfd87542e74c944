import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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
import { IDV_BIN } from '../helpers/child.js';

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
    expect((await endpoint(['lsit'])).stderr).toContain('unknown subcommand "lsit"');
    const bad = await endpoint(['create', '--url', 'http://x.test/', '--api-base', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('STRIPE_API_BASE');
  });
});

describe('idv endpoint create twice, list, update, delete, rotate', () => {
  const URL_A = 'http://127.0.0.1:4242/webhook';
  const idOf = (text: string) => /\b(we_\w+)/.exec(text)![1]!;
  const secretOf = (text: string) => /\b(whsec_\w+)/.exec(text)![1]!;

  it('refuses a second endpoint for the same URL, with hints; --replace deletes the old one', async () => {
    t = await startTestEmulator();
    const env = { STRIPE_API_BASE: t.emulator.url };
    const first = await endpoint(['create', '--url', URL_A], env);
    expect(first.code).toBe(0);
    const again = await endpoint(['create', '--url', `${URL_A}/`], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`already has an endpoint (${idOf(first.stdout)})`);
    expect(again.stderr).toContain('--replace');
    expect(again.stderr).toContain('idv endpoint rotate');
    expect(t.emulator.state.endpoints.size).toBe(1);

    const replaced = await endpoint(['create', '--url', URL_A, '--replace'], env);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain(`Deleted ${idOf(first.stdout)}`);
    expect([...t.emulator.state.endpoints.keys()]).toEqual([idOf(replaced.stdout)]);
    expect(t.emulator.state.endpoints.get(idOf(replaced.stdout))?.secret).toBe(secretOf(replaced.stdout));
  });

  it('lists, updates and deletes endpoints', async () => {
    t = await startTestEmulator();
    const env = { STRIPE_API_BASE: t.emulator.url };
    expect((await endpoint(['list'], env)).stdout).toBe('No webhook endpoints.\n');
    const id = idOf((await endpoint(['create', '--url', URL_A, '--description', 'main'], env)).stdout);
    const other = await t.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/other',
      enabled_events: ['identity.verification_session.verified'],
    });
    const listed = await endpoint(['list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  enabled   ${URL_A}  (all six Identity events)  "main"`);
    expect(listed.stdout).toMatch(new RegExp(`${other.id} .*missing created, processing, requires_input`));

    const disabled = await endpoint(['update', other.id, '--disable', '--identity-events'], env);
    expect(disabled.code).toBe(0);
    const stored = await t.stripe.webhookEndpoints.retrieve(other.id);
    expect(stored.status).toBe('disabled');
    expect(stored.enabled_events).toEqual([...IDENTITY_EVENT_TYPES]);
    const moved = await endpoint(['update', id, '--url', 'http://127.0.0.1:4343/webhook'], env);
    expect(moved.stdout).toContain('http://127.0.0.1:4343/webhook');
    expect(await endpoint(['update', id], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('nothing to change'),
    });
    expect((await endpoint(['update', 'nope', '--enable'], env)).code).toBe(2);

    expect((await endpoint(['delete', other.id], env)).stdout).toContain(`Deleted ${other.id}`);
    expect(t.emulator.state.endpoints.has(other.id)).toBe(false);
    const missing = await endpoint(['delete', other.id], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(other.id);
  });

  it('rotate creates a second endpoint whose secret signs events too, and says how to finish', async () => {
    t = await startTestEmulator();
    const receiver = await startReceiver();
    try {
      const env = { STRIPE_API_BASE: t.emulator.url };
      expect((await endpoint(['rotate', '--url', receiver.url], env)).stderr).toContain('has no endpoint');
      const created = await endpoint(['create', '--url', receiver.url], env);
      const [oldId, oldSecret] = [idOf(created.stdout), secretOf(created.stdout)];
      const rotated = await endpoint(['rotate', '--url', receiver.url], env);
      expect(rotated.code).toBe(0);
      const [newId, newSecret] = [idOf(rotated.stdout.split('beside')[0]!), secretOf(rotated.stdout)];
      expect(newId).not.toBe(oldId);
      expect(rotated.stdout).toContain(`STRIPE_WEBHOOK_SECRET=${newSecret},<the current secret>`);
      expect(rotated.stdout).toContain(`idv endpoint delete ${oldId}`);
      // Both endpoints receive the event, each signed with its own secret.
      await t.stripe.identity.verificationSessions.create({ type: 'document' });
      const received = await receiver.waitFor(2);
      const secrets = received.map((req) => {
        const header = req.headers['stripe-signature'] as string;
        return [oldSecret, newSecret].find((secret) => {
          try {
            return t!.stripe.webhooks.constructEvent(req.rawBody, header, secret) !== undefined;
          } catch {
            return false;
          }
        });
      });
      expect(secrets.sort()).toEqual([oldSecret, newSecret].sort());
      expect((await endpoint(['delete', oldId], env)).code).toBe(0);
      expect([...t.emulator.state.endpoints.keys()]).toEqual([newId]);
    } finally {
      await receiver.close();
    }
  });

  it('the built bin refuses the second create, exit 1', async () => {
    t = await startTestEmulator();
    const env = { PATH: process.env.PATH ?? '', STRIPE_API_BASE: t.emulator.url };
    const bin = (args: string[]) =>
      promisify(execFile)(process.execPath, [IDV_BIN, 'endpoint', ...args], { env }).then(
        (out) => ({ code: 0, ...out }),
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
    expect((await bin(['create', '--url', URL_A])).code).toBe(0);
    const second = await bin(['create', '--url', URL_A]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already has an endpoint');
    expect((await bin(['list'])).stdout).toContain(URL_A);
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

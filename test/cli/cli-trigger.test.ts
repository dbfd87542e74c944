import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { trigger as triggerCommand } from '../../src/cli/commands/trigger.js';
import { buildCli, removeBuild } from './cli-build.js';
import { type Receiver, captureStream, startReceiver } from '../../packages/emulator/test/helpers.js';

const SECRET = 'whsec_test_trigger_secret';
const stripe = new Stripe('sk_test_unused');
let r: Receiver;

afterEach(() => r?.close());

async function trigger(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await triggerCommand.run(argv, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function verified(index = 0): Stripe.Event {
  const req = r.received[index]!;
  return stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature'] as string, SECRET);
}

describe('idv trigger (in-process)', () => {
  it('sends a signed verified event that constructEvent accepts, and prints the answer', async () => {
    r = await startReceiver();
    const out = await trigger([
      'identity.verification_session.verified',
      '--to',
      r.url,
      '--secret',
      SECRET,
      '--subject',
      'user_42',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('HTTP 200');
    expect(out.stdout).toContain('{"received":true}');
    const event = verified();
    expect(event.type).toBe('identity.verification_session.verified');
    const session = event.data.object as Stripe.Identity.VerificationSession;
    expect(session).toMatchObject({
      status: 'verified',
      client_reference_id: 'user_42',
      metadata: { user_id: 'user_42' },
      last_error: null,
      url: null,
    });
    expect(session.last_verification_report).toMatch(/^vr_/);
  });

  it('requires_input carries the code, a reason and a new report id each time; the short name works', async () => {
    r = await startReceiver();
    const args = [
      'requires_input',
      '--code',
      'selfie_face_mismatch',
      '--session',
      'vs_fixed123',
      '--to',
      r.url,
    ];
    expect((await trigger(args, { STRIPE_WEBHOOK_SECRET: SECRET })).code).toBe(0);
    expect((await trigger(args, { STRIPE_WEBHOOK_SECRET: `${SECRET},whsec_other` })).code).toBe(0);
    const [first, second] = [verified(0), verified(1)];
    const a = first.data.object as Stripe.Identity.VerificationSession;
    const b = second.data.object as Stripe.Identity.VerificationSession;
    expect(a).toMatchObject({
      id: 'vs_fixed123',
      status: 'requires_input',
      last_error: { code: 'selfie_face_mismatch' },
    });
    expect(a.last_error?.reason).toMatch(/face/);
    expect(a.last_verification_report).not.toBe(b.last_verification_report);
    expect(first.id).not.toBe(second.id);
  });

  it('defaults the requires_input code to document_unverified_other', async () => {
    r = await startReceiver();
    await trigger(['requires_input', '--to', r.url, '--secret', SECRET]);
    expect((verified().data.object as Stripe.Identity.VerificationSession).last_error?.code).toBe(
      'document_unverified_other',
    );
  });

  it('builds every one of the six types', async () => {
    r = await startReceiver();
    const types = ['created', 'processing', 'verified', 'requires_input', 'canceled', 'redacted'];
    for (const type of types) expect((await trigger([type, '--to', r.url, '--secret', SECRET])).code).toBe(0);
    expect(r.received.map((_, i) => verified(i).type)).toEqual(
      types.map((t) => `identity.verification_session.${t}`),
    );
    const redacted = verified(5).data.object as Stripe.Identity.VerificationSession;
    expect(redacted).toMatchObject({ metadata: {}, redaction: { status: 'redacted' } });
  });

  it('exits 1 and prints the answer when the receiver refuses', async () => {
    r = await startReceiver(() => 400);
    const out = await trigger(['verified', '--to', r.url, '--secret', SECRET]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('HTTP 400');
  });

  it('names the flag and the variable when no secret is given, and rejects unknown types', async () => {
    const noSecret = await trigger(['verified', '--to', 'http://127.0.0.1:9/']);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('--secret');
    expect(noSecret.stderr).toContain('STRIPE_WEBHOOK_SECRET');

    const unknown = await trigger(['identity.verification_session.updated', '--secret', SECRET]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown event type');
    expect(unknown.stderr).toContain('identity.verification_session.requires_input');

    expect((await trigger(['--secret', SECRET])).stderr).toContain('missing <event-type>');
  });

  it('exits 1 with the reason when the receiver cannot be reached', async () => {
    const closed = await startReceiver();
    await closed.close();
    const out = await trigger(['verified', '--to', closed.url, '--secret', SECRET]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/failed/);
  });
});

describe('idv trigger (child process: node bin/idv.js)', () => {
  let bin = '';
  beforeAll(async () => {
    bin = await buildCli();
  }, 120_000);
  afterAll(() => removeBuild(bin));

  it('sends a signed requires_input event and exits 0', async () => {
    expect(existsSync(bin)).toBe(true);
    r = await startReceiver();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        bin,
        'trigger',
        'identity.verification_session.requires_input',
        '--code',
        'document_expired',
        '--subject',
        'u7',
        '--to',
        r.url,
      ],
      { env: { ...process.env, STRIPE_WEBHOOK_SECRET: SECRET } },
    );
    expect(stdout).toContain('HTTP 200');
    const event = verified();
    expect(event.data.object).toMatchObject({
      client_reference_id: 'u7',
      last_error: { code: 'document_expired' },
    });
  });

  it('exits 1 when the secret is missing', async () => {
    const env = { ...process.env };
    delete env.STRIPE_WEBHOOK_SECRET;
    const err = await promisify(execFile)(process.execPath, [bin, 'trigger', 'verified'], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('STRIPE_WEBHOOK_SECRET');
  });
});

/** Shared fixtures for the emulator tests: an emulator with stripe-node clients, and a webhook receiver. */
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';

export interface TestEmulator {
  emulator: Emulator;
  /** Secret key client. */
  stripe: Stripe;
  /** Restricted key client: may expand sensitive verified outputs. */
  restricted: Stripe;
}

export function stripeFor(emulator: Emulator, key = 'sk_test_emulator'): Stripe {
  return new Stripe(key, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    redactionDelayMs: 20,
    deliveryRetrySchedule: [50, 50, 50],
    ...options,
  });
  return { emulator, stripe: stripeFor(emulator), restricted: stripeFor(emulator, 'rk_test_emulator') };
}

type HelperAction = 'verify' | 'require_input' | 'processing' | 'expire_sensitive_outputs';

/** Calls a test helper through stripe-node (rawRequest), the way a test suite of the app would. */
export function testHelper(
  stripe: Stripe,
  sessionId: string,
  action: HelperAction,
  params: Record<string, unknown> = {},
): Promise<Stripe.Identity.VerificationSession> {
  return stripe.rawRequest(
    'POST',
    `/v1/test_helpers/identity/verification_sessions/${sessionId}/${action}`,
    params,
  ) as Promise<Stripe.Identity.VerificationSession>;
}

export interface ReceivedRequest {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** Parsed body; tests use it only after checking the signature. */
  event: { id: string; type: string; created: number; data: { object: Record<string, unknown> } };
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Resolves once at least `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1:0. `respond(n)` gives the status for the n-th request (1-based). */
export async function startReceiver(
  respond: (n: number, request: ReceivedRequest) => number = () => 200,
): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const request: ReceivedRequest = {
        rawBody,
        headers: req.headers,
        event: JSON.parse(rawBody.toString('utf8')),
      };
      received.push(request);
      const status = respond(received.length, request);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ received: status < 300 }));
      const current = waiters;
      waiters = [];
      current.forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`expected ${count} webhook requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A writable that keeps what was written, for CLI commands run in-process. */
export function captureStream(): NodeJS.WritableStream & { text(): string } {
  let text = '';
  const stream = {
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
    text: () => text,
  };
  return stream as unknown as NodeJS.WritableStream & { text(): string };
}

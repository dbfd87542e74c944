/**
 * The limits of the HTTP server idv builds (server-limits.ts). A thousand slow connections from one
 * address — opened, then dribbling header lines — must not lock anyone else out. The service runs as a
 * child with 256 open files, as on a small host: without limits, those connections take every file
 * descriptor, and Node then accepts and drops every new connection, /healthz and Stripe's included.
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnIdv, type IdvChild } from '../helpers/child.js';
import { ADMIN_TOKEN, WEBHOOK_SECRET, startTestService, type TestService } from '../helpers/service.js';
import { sessionEvent, signedRequest, uniqueId } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const SLOW_CLIENTS = 1_000;
const ATTACKER = '127.0.0.1';
/** All of 127/8 is loopback on Linux: a second client address without a second machine. */
const STRIPE = '127.0.0.2';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection from `from`; a connection the server drops rejects. */
function send(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<Answer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from ?? STRIPE,
        agent: false,
        timeout: 3_000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

function signedWebhook(url: string, from = STRIPE): Promise<Answer> {
  const event = sessionEvent({ type: 'identity.verification_session.processing', sessionId: uniqueId('vs') });
  const { body, headers } = signedRequest(event, WEBHOOK_SECRET);
  return send(url, '/webhook', { method: 'POST', headers, body, from });
}

/** Opens `count` connections that send a request line and then one header line every 200 ms. */
async function slowClients(url: string, count: number) {
  const { port } = new URL(url);
  let closedByServer = 0;
  const sockets: Socket[] = [];
  let stopping = false;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress: ATTACKER });
          sockets.push(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => {
            if (!stopping) closedByServer += 1;
            resolve();
          });
          socket.on('connect', () => {
            socket.write('POST /webhook HTTP/1.1\r\nHost: idv\r\nContent-Type: application/json\r\n');
            resolve();
          });
        }),
    ),
  );
  const drip = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
  }, 200);
  return {
    closedByServer: () => closedByServer,
    stop() {
      stopping = true;
      clearInterval(drip);
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe('1,000 slow connections from one address', () => {
  let temp: ReturnType<typeof tempDir>;
  let child: IdvChild | undefined;
  let attack: Awaited<ReturnType<typeof slowClients>> | undefined;
  beforeAll(() => {
    temp = tempDir();
  });
  afterEach(async () => {
    attack?.stop();
    attack = undefined;
    child?.proc.kill('SIGTERM');
    await child?.exited;
    child = undefined;
  });
  afterAll(() => temp.cleanup());

  const start = (name: string, env: Record<string, string>) =>
    spawnIdv(
      ['serve', '--port', '0', '--role', 'receiver'],
      {
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        IDV_DATABASE_URL: `sqlite:${join(temp.dir, `${name}.db`)}`,
        ...env,
      },
      'idv serving',
      256,
    );

  it('leave /healthz and a signed webhook answering at once: the per-address cap closes the excess', async () => {
    child = await start('cap', { IDV_MAX_CONNECTIONS_PER_IP: '50' });
    attack = await slowClients(child.url, SLOW_CLIENTS);
    const open = attack;
    await waitFor(
      () => (open.closedByServer() >= SLOW_CLIENTS - 50 ? true : undefined),
      5_000,
      'excess closed',
    );

    const started = Date.now();
    expect((await send(child.url, '/healthz')).status).toBe(200);
    expect((await signedWebhook(child.url)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    const metrics = (await send(child.url, '/metrics')).body;
    expect(Number(/^idv_http_connections_refused_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
      SLOW_CLIENTS - 50,
    );

    // Once its connections are gone, the address is served again: the count follows closed sockets.
    attack.stop();
    attack = undefined;
    await waitFor(async () =>
      (await send(child!.url, '/healthz', { from: ATTACKER })).status === 200 ? true : undefined,
    );
  });

  it('leave them answering within the headers timeout even without a cap: the timeouts close the slow ones', async () => {
    child = await start('timeouts', {
      IDV_MAX_CONNECTIONS_PER_IP: '0',
      IDV_HTTP_HEADERS_TIMEOUT_MS: '500',
      IDV_HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
    attack = await slowClients(child.url, SLOW_CLIENTS);
    const started = Date.now();
    const open = attack;
    // Each slow connection is closed by the server, still dribbling, within the timeout and its check interval.
    await waitFor(
      () => (open.closedByServer() === SLOW_CLIENTS ? true : undefined),
      5_000,
      'slow ones closed',
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await send(child.url, '/healthz', { from: ATTACKER })).status).toBe(200);
    expect((await signedWebhook(child.url, ATTACKER)).status).toBe(200);
  });
});

describe('the in-process server', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ IDV_HTTP_KEEPALIVE_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await service.stop();
  });

  /** Sends only the request head, declaring a large body that never comes, and reads until the server closes. */
  function headOnly(head: string): Promise<{ text: string; closed: boolean }> {
    const { port } = new URL(service.url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port) });
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ text, closed: false });
      }, 2_000);
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ text, closed: true });
      });
      socket.write(
        `${head}\r\nHost: idv\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n`,
      );
    });
  }

  it('answers early without waiting for the body, and closes the connection instead of reading it', async () => {
    const cases: [string, number][] = [
      ['POST /admin/api/events/evt_1/replay HTTP/1.1\r\nAuthorization: Bearer wrong', 401],
      ['POST /webhook HTTP/1.1', 400],
      [`POST /admin/api/events/evt_1/replay HTTP/1.1\r\nAuthorization: Bearer ${ADMIN_TOKEN}`, 413],
      ['POST /webhook HTTP/1.1\r\nStripe-Signature: t=1,v1=' + '0'.repeat(64), 413],
    ];
    for (const [head, status] of cases) {
      const { text, closed } = await headOnly(head);
      expect([head, text.split('\r\n')[0]]).toEqual([head, expect.stringContaining(` ${status} `)]);
      expect(text.toLowerCase()).toContain('connection: close');
      expect(closed).toBe(true);
    }
  });

  it('closes an idle keep-alive connection after IDV_HTTP_KEEPALIVE_TIMEOUT_MS', async () => {
    const { port } = new URL(service.url);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('error', () => undefined);
    socket.write('GET /healthz HTTP/1.1\r\nHost: idv\r\n\r\n');
    const answered = await new Promise<number>((resolve) => socket.once('data', () => resolve(Date.now())));
    // Node keeps an idle socket up to a second past keepAliveTimeout; Node's default would be 5 s.
    const idle = (await closed) - answered;
    expect(idle).toBeGreaterThanOrEqual(250);
    expect(idle).toBeLessThan(2_500);
  });
});

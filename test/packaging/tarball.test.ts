/**
 * The packed tarball stands alone: `npm pack` the checkout, install the tarball by itself into a fresh
 * project, and run `idv emulator` and `idv demo` from there. The emulator and the shared Stripe Identity
 * module are workspace packages bundled into the tarball (packages/emulator/README.md "Packaging"); this
 * catches one of them, or a dependency of theirs such as the mail sink's smtp-server, missing from it.
 *
 * It packs what is built (dist/ and each packages/<name>/dist/), as `npm test` leaves it, instead of building: other test
 * files run that dist/ at the same time. Install skips scripts, so better-sqlite3's addon is copied from the
 * checkout when the versions match (compiling it takes over a minute here); with a warm npm cache the whole
 * file takes about 20 s.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionEvent, stripe } from '../helpers/stripe-events.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BUILT = [
  'dist/cli/main.js',
  'packages/emulator/dist/index.js',
  'packages/stripe-identity/dist/index.js',
];
const temp = tempDir('idv-tarball-');
const project = join(temp.dir, 'project');
const children: ChildProcess[] = [];
let tarball = '';

/** The environment without npm's own variables: run from `npm test`, they would point npm at the checkout. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

async function npm(args: string[], cwd: string): Promise<string> {
  return (await npmOutput(args, cwd)).stdout;
}

async function npmOutput(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return run('npm', args, { cwd, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
}

const INSTALL = ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'];

/** Install skips scripts: better-sqlite3's addon comes from the checkout when the versions match. */
async function provideSqliteAddon(dir: string): Promise<void> {
  const sqlite = join(dir, 'node_modules', 'better-sqlite3');
  const checkoutSqlite = join(ROOT, 'node_modules', 'better-sqlite3');
  if (version(sqlite) === version(checkoutSqlite))
    cpSync(join(checkoutSqlite, 'build'), join(sqlite, 'build'), { recursive: true });
  else await npm(['rebuild', 'better-sqlite3'], dir);
}

function version(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Starts the installed `idv` bin and resolves with its output so far once `ready` matches it. */
function startIdv(args: string[], ready: RegExp): Promise<{ match: RegExpExecArray; output: () => string }> {
  const bin = join(project, 'node_modules', '.bin', 'idv');
  return startNode(project, [bin, ...args], {}, ready);
}

async function startNode(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ match: RegExpExecArray; output: () => string }> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? temp.dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const match = await waitFor(() => ready.exec(output) ?? undefined, 20_000, `${args[0]} to start`).catch(
    (err: Error) => Promise.reject(new Error(`${err.message}:\n${output}`)),
  );
  return { match, output: () => output };
}

beforeAll(async () => {
  const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) throw new Error(`run \`npm run build\` first; missing ${missing.join(', ')}`);
  const packed = JSON.parse(
    await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', temp.dir], ROOT),
  ) as { filename: string }[];
  tarball = join(temp.dir, packed[0]!.filename);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{"name":"tarball-check","version":"1.0.0","private":true}\n');
  await npm([...INSTALL, tarball], project);
  await provideSqliteAddon(project);
}, 180_000);

afterAll(async () => {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
  );
  temp.cleanup();
}, 60_000);

describe('the packed idv-outcomes tarball, installed alone', () => {
  it('bundles the workspace packages, not their sources', () => {
    const bundled = join(project, 'node_modules', 'idv-outcomes', 'node_modules', '@idv-outcomes');
    expect(existsSync(join(bundled, 'emulator', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(bundled, 'emulator', 'src'))).toBe(false);
    expect(existsSync(join(bundled, 'stripe-identity', 'dist', 'signature.js'))).toBe(true);
  });

  it('runs `idv emulator`, which answers the Stripe API', async () => {
    const { match } = await startIdv(['emulator', '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const res = await fetch(`${match[1]}/v1/identity/verification_sessions`, {
      headers: { authorization: 'Bearer sk_test_tarball' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'list', data: [] });
  });

  it('runs `idv demo`, with its mail sink, service and demo page', async () => {
    const data = join(temp.dir, 'data');
    const ports = ['--port', '0', '--service-port', '0', '--emulator-port', '0'];
    const { output } = await startIdv(
      ['demo', '--data', data, ...ports],
      /Mail sink:\s+smtp:\/\/127\.0\.0\.1:\d+/,
    );
    const demoUrl = /Demo page:\s+(http:\/\/\S+)/.exec(output())![1]!;
    const serviceUrl = /idv service:\s+(http:\/\/\S+)/.exec(output())![1]!;
    expect((await fetch(demoUrl)).status).toBe(200);
    expect(await (await fetch(`${serviceUrl}/healthz`)).json()).toEqual({ ok: true });
  });
});

describe('the README library quickstart, in a project made by `npm init -y`', () => {
  const app = join(temp.dir, 'quickstart');
  const secret = 'whsec_quickstart_secret_0001';
  let install = { stdout: '', stderr: '' };

  beforeAll(async () => {
    mkdirSync(app);
    await npm(['init', '-y'], app);
    install = await npmOutput([...INSTALL, tarball], app);
    await provideSqliteAddon(app);
    for (const file of ['library-quickstart.mjs', 'library-quickstart.cjs', 'client-app.mjs'])
      cpSync(join(ROOT, 'examples', file), join(app, file));
  }, 180_000);

  it('installs without an engine warning', () => {
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type ?? 'commonjs').toBe('commonjs');
    expect(install.stderr).not.toContain('EBADENGINE');
  });

  it.each(['library-quickstart.mjs', 'library-quickstart.cjs'])(
    'runs %s, which listens and receives a signed event',
    async (file) => {
      const database = `sqlite:${join(app, `${file}.db`)}`;
      const env = { STRIPE_WEBHOOK_SECRET: secret, PORT: '0', IDV_DATABASE_URL: database };
      const { match, output } = await startNode(app, [file], env, /listening on (http:\/\/\S+)/);
      const ref = `user_${file.endsWith('.cjs') ? 'cjs' : 'esm'}`;
      const payload = JSON.stringify(
        sessionEvent({ type: 'identity.verification_session.verified', subject: ref }),
      );
      const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
      const answer = await fetch(match[1]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      });
      expect(answer.status).toBe(200);
      await waitFor(
        () => (output().includes(`verified ${ref} (state verified`) ? true : undefined),
        10_000,
        `the handler:\n${output()}`,
      );
    },
  );
});

describe('the typed client `idv-outcomes/client`, in the same project', () => {
  const app = join(temp.dir, 'quickstart');
  const apiToken = 'client-example-api-token-0123456789';

  it('runs examples/client-app.mjs against `idv serve` and the emulator, both from the tarball', async () => {
    const emulator = await startNode(
      app,
      [join(app, 'node_modules', '.bin', 'idv'), 'emulator', '--port', '0'],
      {},
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const serve = await startNode(
      app,
      [join(app, 'node_modules', '.bin', 'idv'), 'serve', '--port', '0'],
      {
        STRIPE_WEBHOOK_SECRET: 'whsec_client_example_0001',
        STRIPE_SECRET_KEY: 'sk_test_client_example',
        STRIPE_API_BASE: emulator.match[1]!,
        IDV_API_TOKEN: apiToken,
        IDV_DATABASE_URL: `sqlite:${join(app, 'client.db')}`,
      },
      /"url":"(http:\/\/[^"]+)"[^\n]*idv serving/,
    );
    const env = { ...cleanEnv(), IDV_URL: serve.match[1]!, IDV_API_TOKEN: apiToken };
    const { stdout } = await run(process.execPath, ['client-app.mjs', 'user_client'], { cwd: app, env });
    expect(stdout).toMatch(/^session vs_\S+ for user_client: send the user to http\S+$/m);
    // No webhook endpoint is registered at the emulator, so no event arrives: the user is still unverified.
    expect(stdout).toContain('user_client is unverified, 3 attempt(s) left');
  });

  it('is required from CommonJS with its types', async () => {
    const script =
      "const { createIdvClient, IdvApiError } = require('idv-outcomes/client');" +
      'console.log(typeof createIdvClient, typeof IdvApiError)';
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: app, env: cleanEnv() });
    expect(stdout.trim()).toBe('function function');
    expect(existsSync(join(app, 'node_modules', 'idv-outcomes', 'dist', 'client', 'index.d.ts'))).toBe(true);
  });
});

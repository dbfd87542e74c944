/**
 * A setting that does not work at start-up — a database that cannot be reached or opened, a port that is
 * taken, a live/test mismatch — stops the real `idv` bin with one line on stderr naming the variable and
 * its flag, a non-zero exit, no stack, and never the database password.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { explainStartupError } from '../../src/cli/startup-errors.js';
import { IDV_BIN } from '../helpers/child.js';
import { PG_BASE_URL, skipPostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';

const temp = tempDir('idv-startup-');
afterAll(() => temp.cleanup());
const SECRET = 'whsec_startup_errors_secret_01';

async function idv(args: string[], env: Record<string, string>) {
  return promisify(execFile)(process.execPath, [IDV_BIN, ...args], {
    cwd: temp.dir,
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? '', STRIPE_WEBHOOK_SECRET: SECRET, ...env },
  }).then(
    (out) => ({ code: 0, ...out }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

function expectOneLine(out: { code: number; stderr: string }, command: string, ...parts: string[]) {
  expect(out.code, out.stderr).not.toBe(0);
  const lines = out.stderr.trimEnd().split('\n');
  expect(lines, out.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`idv ${command}: `)).toBe(true);
  for (const part of parts) expect(lines[0]).toContain(part);
  expect(out.stderr).not.toContain('pw_secret');
  expect(out.stderr).not.toMatch(/\n\s+at /);
}

describe('idv serve / migrate with a database that does not work', () => {
  it.each([
    ['a closed port', 'postgres://idv:pw_secret@127.0.0.1:1/x', 'connection refused', '127.0.0.1:1'],
    [
      'an unknown host',
      'postgres://idv:pw_secret@no-such-host.invalid:5432/x',
      'host no-such-host.invalid not found',
    ],
  ])('%s: names IDV_DATABASE_URL (--db)', async (_what, url, ...parts) => {
    for (const command of ['serve', 'migrate']) {
      const out = await idv([command, '--port', '0'].slice(0, command === 'serve' ? 3 : 1), {
        IDV_DATABASE_URL: url,
      });
      expectOneLine(out, command, 'IDV_DATABASE_URL (--db)', ...parts);
    }
  });

  it('a role or database PostgreSQL does not know', async () => {
    const skip = await skipPostgres();
    if (skip) return;
    const base = new URL(PG_BASE_URL);
    const role = new URL(PG_BASE_URL);
    role.username = 'no_such_role';
    role.password = 'pw_secret';
    const out = await idv(['migrate'], { IDV_DATABASE_URL: role.href });
    expectOneLine(out, 'migrate', 'IDV_DATABASE_URL (--db)', 'role "no_such_role" does not exist');
    base.pathname = '/no_such_database';
    const db = await idv(['serve', '--port', '0'], { IDV_DATABASE_URL: base.href });
    expectOneLine(db, 'serve', 'IDV_DATABASE_URL (--db)', 'database "no_such_database" does not exist');
  });

  it('a file that is not a database', async () => {
    const file = join(temp.dir, 'notes.txt');
    writeFileSync(file, 'these are not the tables you are looking for\n'.repeat(200));
    const out = await idv(['serve', '--port', '0'], { IDV_DATABASE_URL: `sqlite:${file}` });
    expectOneLine(out, 'serve', 'IDV_DATABASE_URL (--db)', 'is not an SQLite database');
  });

  it('a mistyped sqlite: path is refused, not created; the default ./data is', async () => {
    const typo = join(temp.dir, 'dta', 'nested', 'idv.db');
    const out = await idv(['migrate', '--db', `sqlite:${typo}`], {});
    expectOneLine(out, 'migrate', 'IDV_DATABASE_URL (--db)', 'does not exist', 'only the default ./data');
    expect(existsSync(join(temp.dir, 'dta'))).toBe(false);
    const fine = await idv(['migrate'], {});
    expect(fine.code, fine.stderr).toBe(0);
    expect(existsSync(join(temp.dir, 'data', 'idv.db'))).toBe(true);
  });
});

describe('idv serve with a port that does not work', () => {
  let taken: Server;
  afterAll(() => new Promise((resolve) => taken.close(resolve)));

  it('a port in use names PORT (--port)', async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const out = await idv(['serve', '--port', String(port)], {
      IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'port.db')}`,
    });
    expectOneLine(out, 'serve', 'PORT (--port)', `127.0.0.1:${port} is already in use`);
  });

  it('a port that needs privileges, as the operating system reports it', () => {
    const err = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
      code: 'EACCES',
      syscall: 'listen',
    });
    expect(explainStartupError(err, { port: 80, host: '127.0.0.1' })).toMatch(
      /^PORT \(--port\): not allowed to listen on 127\.0\.0\.1:80/,
    );
    const denied = Object.assign(new Error('attempt to write a readonly database'), {
      code: 'SQLITE_READONLY',
    });
    expect(explainStartupError(denied, { databaseUrl: 'sqlite:/srv/idv.db' })).toBe(
      'IDV_DATABASE_URL (--db): no permission to write /srv/idv.db (SQLITE_READONLY)',
    );
    expect(explainStartupError(new Error('boom'), { databaseUrl: 'sqlite:/x.db' })).toBeUndefined();
  });
});

describe('idv serve with IDV_LIVEMODE against the key', () => {
  it.each([
    ['true', 'sk_test_startup'],
    ['false', 'rk_live_startup'],
  ])('IDV_LIVEMODE=%s with %s refuses to start, naming both', async (livemode, key) => {
    const out = await idv(['serve', '--port', '0'], {
      IDV_LIVEMODE: livemode,
      STRIPE_SECRET_KEY: key,
      IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'mode.db')}`,
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/IDV_LIVEMODE: (true|false) \(.*\) contradicts STRIPE_SECRET_KEY/);
    expect(out.stderr).not.toContain('startup');
    expect(out.stdout).toBe('');
  });
});

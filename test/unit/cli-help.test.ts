import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import { flagKey } from '../../src/config/flags.js';
import { Reader } from '../../src/config/reader.js';
import { captureStream } from '../../packages/emulator/test/helpers.js';
import { IDV_BIN } from '../helpers/child.js';

async function idv(argv: string[], env: Record<string, string> = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Every runnable command, subcommands included, with the argv that reaches it. */
function runnable(): { command: Command; path: string[] }[] {
  return COMMANDS.flatMap((command) =>
    command.subcommands.length === 0
      ? [{ command, path: [command.name] }]
      : command.subcommands.map((sub) => ({ command: sub, path: sub.name.split(' ') })),
  );
}

describe('idv <command> --help', () => {
  // Regression: `idv serve|migrate|reconcile --help` printed "unknown option" and exited 2.
  it.each([
    ['serve', ['--port PORT', '--host HOST', '--db URL', '--role ROLE'], ['STRIPE_WEBHOOK_SECRET', 'PORT']],
    ['migrate', ['--db URL'], ['IDV_DATABASE_URL']],
    ['reconcile', ['--since DURATION', '--db URL'], ['STRIPE_SECRET_KEY', 'STRIPE_API_BASE', 'IDV_LIVEMODE']],
  ])('idv %s --help prints its flags and variables and exits 0', async (name, flags, variables) => {
    const out = await idv([name, '--help']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`Usage: idv ${name} `);
    for (const flag of flags) expect(out.stdout).toContain(flag);
    for (const variable of variables) expect(out.stdout).toContain(variable);
  });

  it('shows the defaults the loaders fall back to', async () => {
    const serve = (await idv(['serve', '--help'])).stdout;
    expect(serve).toMatch(/--port PORT .*\[env PORT, default 4242\]/);
    expect(serve).toMatch(/IDV_WORKER_LEASE_MS .*\[default 30000\]/);
    expect((await idv(['reconcile', '-h'])).stdout).toMatch(/--since DURATION .*\[default 72h\]/);
  });

  it('every command and subcommand has --help and -h listing each flag and variable', async () => {
    for (const { command, path } of runnable()) {
      for (const help of ['--help', '-h']) {
        const out = await idv([...path, help]);
        expect(out.code, `${command.name} ${help}`).toBe(0);
        expect(out.stdout).toContain(`Usage: idv ${command.name}`);
        for (const flag of command.flags) expect(out.stdout).toContain(`--${flag.name}`);
        for (const variable of command.env) expect(out.stdout).toContain(variable.name);
      }
    }
    expect((await idv(['endpoint', '--help'])).stdout).toMatch(/create\s+register the webhook endpoint/);
    expect((await idv(['help', 'migrate'])).stdout).toBe((await idv(['migrate', '--help'])).stdout);
  });

  it("lists exactly the variables each command's settings loader reads", () => {
    for (const { command } of runnable()) {
      const read = new Reader({});
      command.readSettings(read);
      const declared = new Set([...command.env.map((v) => v.name), ...command.flags.map(flagKey)]);
      const readNames = [...read.names];
      expect(
        readNames.filter((name) => !declared.has(name)),
        command.name,
      ).toEqual([]);
      const unread = command.env.map((v) => v.name).filter((name) => !read.names.has(name));
      expect(unread, command.name).toEqual([]);
    }
  });

  it('the built bin exits 0 for idv serve --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [IDV_BIN, 'serve', '--help'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(stdout).toContain('--role ROLE');
  });
});

describe('idv <command> with a bad flag', () => {
  it('names the flag, lists the known ones and exits 2', async () => {
    for (const { command, path } of runnable()) {
      const out = await idv([...path, '--bogus', 'x']);
      expect(out.code, command.name).toBe(2);
      expect(out.stderr).toContain('--bogus: unknown option');
      for (const flag of command.flags) expect(out.stderr).toContain(`--${flag.name}`);
      expect(out.stdout).toBe('');
    }
  });

  it('says when a flag needs a value, and refuses arguments a command does not take', async () => {
    const noValue = await idv(['serve', '--port']);
    expect(noValue).toMatchObject({ code: 2, stderr: expect.stringContaining('--port: expected a value') });
    const stray = await idv(['migrate', 'now']);
    expect(stray).toMatchObject({ code: 2, stderr: expect.stringContaining('unexpected argument "now"') });
  });

  it('reports every bad setting at once, naming the variable or flag', async () => {
    const out = await idv(['reconcile', '--since', '45d'], { IDV_LIVEMODE: 'maybe' });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--since: Stripe keeps events for 30 days at most');
    expect(out.stderr).toContain('STRIPE_SECRET_KEY: required');
    expect(out.stderr).toContain('IDV_LIVEMODE: expected true or false');
  });
});

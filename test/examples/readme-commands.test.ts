/**
 * The README's shell blocks stay true. Each ```sh block carries a marker on the line before its fence:
 * `<!-- checked: … -->` naming the test or CI step that runs it, or `<!-- not run: … -->` saying why it
 * cannot run offline. The blocks that can run here are run by this file as a user would type them, with
 * `npx idv` / `idv` being the built bin and the database a temporary one, so a README change that breaks a
 * command fails here.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { IDV_BIN, spawnIdv, type IdvChild } from '../helpers/child.js';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema } from '../helpers/postgres.js';
import { WEBHOOK_SECRET } from '../helpers/service.js';
import { tempDir } from '../helpers/temp.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const THIS_FILE = relative(ROOT, import.meta.filename);
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

interface ShellBlock {
  /** 1-based line of the opening fence in README.md. */
  line: number;
  marker: { kind: 'checked' | 'not run'; text: string } | undefined;
  /** The block's command lines, comments and blank lines left out. */
  commands: string[];
}

function shellBlocks(text: string): ShellBlock[] {
  const lines = text.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    if (['sh', 'bash', 'shell'].includes(fence[1]!)) {
      let before = i - 1;
      while (before >= 0 && lines[before]!.trim() === '') before--;
      const marker = /^\s*<!--\s*(checked|not run):\s*(.*?)\s*-->\s*$/.exec(lines[before] ?? '');
      blocks.push({
        line: i + 1,
        marker: marker ? { kind: marker[1] as 'checked' | 'not run', text: marker[2]! } : undefined,
        commands: lines
          .slice(i + 1, end)
          .map((l) => l.replace(/\s+#.*$/, '').trim())
          .filter((l) => l !== '' && !l.startsWith('#')),
      });
    }
    i = end;
  }
  return blocks;
}

/** Repository paths a marker names (anything with a slash and an extension, or `.ci/run`). */
function namedPaths(markerText: string): string[] {
  return [...markerText.matchAll(/(?:^|[\s(;,])(\.?[\w-]+(?:\/[\w.-]+)+)/g)].map((m) => m[1]!);
}

const blocks = shellBlocks(readme);
/** The block whose commands include `needle`; the README's own lines, not a copy, are what runs. */
function blockWith(needle: string): ShellBlock {
  const found = blocks.filter((b) => b.commands.some((c) => c.includes(needle)));
  if (found.length !== 1)
    throw new Error(`expected one README sh block with "${needle}", found ${found.length}`);
  return found[0]!;
}

/**
 * Splits a command line into words the way sh does for the README's simple lines (plain words, '…' and "…");
 * anything else a shell would interpret is refused, so such a line must be handled here explicitly.
 */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let at = 0;
  const re = /(\s+)|'([^']*)'|"([^"$`\\]*)"|([^\s'"$`\\|&;<>()*?]+)/y;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    at = re.lastIndex;
    if (m[1] !== undefined) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else {
      // Quoted and plain pieces without a space between them are one word, as in sh.
      word = (word ?? '') + (m[2] ?? m[3] ?? m[4]!);
    }
  }
  if (at !== line.length) throw new Error(`cannot run this README line here: ${line}`);
  if (word !== undefined) out.push(word);
  return out;
}

type Step =
  | { kind: 'export'; name: string; value: string; line: string }
  | { kind: 'idv'; args: string[]; line: string };

/** A README line as this test runs it: `export NAME=value`, or `npx idv …` / `idv …` as the built bin. */
function step(line: string): Step {
  const w = words(line);
  if (w[0] === 'export' && w.length === 2 && /^[A-Z_][A-Z0-9_]*=/.test(w[1]!)) {
    const eq = w[1]!.indexOf('=');
    return { kind: 'export', name: w[1]!.slice(0, eq), value: w[1]!.slice(eq + 1), line };
  }
  if (w[0] === 'npx' && w[1] === 'idv') return { kind: 'idv', args: w.slice(2), line };
  if (w[0] === 'idv') return { kind: 'idv', args: w.slice(1), line };
  throw new Error(`not an idv command or export: ${line}`);
}

/** Any free port instead of the README's fixed one, so the test runs beside a service on 4242. */
function anyPort(args: string[]): string[] {
  return args.map((a, i) => (args[i - 1] === '--port' ? '0' : a));
}

const temp = tempDir('idv-readme-commands-');
const pgSkip = await skipPostgres();
const schema = uniqueSchema('idv_readme');
const children: IdvChild[] = [];
/** Where every child listens, whatever the README says: loopback, any free port. */
const LOCAL = { HOST: '127.0.0.1', PORT: '0' };

async function idv(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [IDV_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: temp.dir,
      timeout: 15_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Starts `idv serve …`, checks it answers /healthz, and stops it. */
async function serveOnce(args: string[], env: Record<string, string>): Promise<string> {
  const child = await spawnIdv(anyPort(args), env);
  children.push(child);
  const health = await fetch(`${child.url}/healthz`);
  expect(health.status).toBe(200);
  expect(new URL(child.url).hostname).toBe('127.0.0.1');
  child.proc.kill('SIGTERM');
  expect(await child.exited).toBe(0);
  return child.output();
}

afterAll(async () => {
  for (const child of children) {
    if (child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  }
  temp.cleanup();
});

describe('README sh blocks', () => {
  it('each one is marked as checked by a test or CI step, or as not run with the reason', () => {
    expect(blocks.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const block of blocks) {
      const where = `README.md:${block.line}`;
      if (!block.marker) {
        problems.push(`${where}: no <!-- checked: … --> or <!-- not run: … --> marker before the block`);
        continue;
      }
      const paths = namedPaths(block.marker.text);
      if (block.marker.kind === 'checked' && paths.length === 0) {
        problems.push(`${where}: the checked marker names no test file or CI step`);
      }
      if (block.marker.kind === 'not run' && block.marker.text === '') {
        problems.push(`${where}: the not-run marker gives no reason`);
      }
      for (const path of paths) {
        if (!existsSync(resolve(ROOT, path))) problems.push(`${where}: ${path} does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the blocks this file runs, and only those, say so', () => {
    const ran = ['idv operator add', 'export IDV_DATABASE_URL', '--role receiver'].map(
      (needle) => blockWith(needle).line,
    );
    const claimed = blocks
      .filter((b) => b.marker?.kind === 'checked' && namedPaths(b.marker.text).includes(THIS_FILE))
      .map((b) => b.line);
    expect(claimed.sort()).toEqual(ran.sort());
  });
});

describe('README commands, run', () => {
  it('operators: add prints a token, list shows the operator with the role, remove takes them off', async () => {
    const env = { IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'operators.db')}` };
    const steps = blockWith('idv operator add').commands.map(step);
    const results = [];
    for (const s of steps) {
      if (s.kind !== 'idv') throw new Error(`unexpected line: ${s.line}`);
      const result = await idv(s.args, env);
      expect(result, s.line).toMatchObject({ code: 0 });
      results.push(result);
    }
    // Checked after running, so a broken line fails with the answer a user would see.
    expect(steps.map((s) => (s.kind === 'idv' ? s.args[1] : s.kind))).toEqual(['add', 'list', 'remove']);
    const [added, listed, removed] = results;
    expect(added!.stdout).toContain('Added reviewer Rita Reviewer');
    const token = /^(idvop_[0-9a-f]{64})$/m.exec(added!.stdout)?.[1];
    expect(token).toBeDefined();
    expect(listed!.stdout).toMatch(/^op_[0-9a-f]{16}\treviewer\tRita Reviewer\t/m);
    expect(listed!.stdout).not.toContain(token!);
    expect(removed!.stdout).toContain('Removed reviewer Rita Reviewer');
    const after = await idv(['operator', 'list'], env);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('Rita Reviewer');
  });

  describe('PostgreSQL', () => {
    afterAll(async () => {
      if (!pgSkip) await dropSchema(schema);
    });
    it.skipIf(pgSkip)('export the URL, migrate, serve: the service answers on PostgreSQL', async () => {
      const env: Record<string, string> = { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ...LOCAL };
      for (const s of blockWith('export IDV_DATABASE_URL').commands.map(step)) {
        if (s.kind === 'export') {
          expect(s.name).toBe('IDV_DATABASE_URL');
          expect(s.value).toMatch(/^postgres:\/\/.*[?&]schema=/);
          // The machine's PostgreSQL instead of db.internal, and a schema of this run's own.
          env[s.name] = schemaUrl(schema);
        } else if (s.args[0] === 'serve') {
          const output = await serveOnce(s.args, env);
          expect(output).toContain('"store":"postgres"');
        } else {
          const result = await idv(s.args, env);
          expect(result, s.line).toMatchObject({ code: 0 });
        }
      }
    });
  });

  it('roles: receiver, worker, dispatcher and all each start, answer /healthz and stop', async () => {
    const env = {
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      IDV_DATABASE_URL: `sqlite:${join(temp.dir, 'roles.db')}`,
      ...LOCAL,
    };
    const steps = blockWith('--role receiver').commands.map(step);
    const roles: string[] = [];
    for (const s of steps) {
      if (s.kind !== 'idv' || s.args[0] !== 'serve') throw new Error(`unexpected line: ${s.line}`);
      const output = await serveOnce(s.args, env);
      roles.push(/"role":"(\w+)"/.exec(output)?.[1] ?? '?');
    }
    expect(roles).toEqual(['receiver', 'worker', 'dispatcher', 'all']);
  });
});

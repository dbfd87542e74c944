/**
 * Compiles src/ into a scratch folder inside node_modules/.cache (so `stripe` still resolves) with a copy
 * of bin/idv.js beside it, so a test can run `node bin/idv.js …` as a child process without touching the
 * checkout's dist/, which other work may be rebuilding. The workspace packages (packages/emulator,
 * packages/stripe-identity) are compiled into the scratch folder's own node_modules for the same reason:
 * Node finds them there before the checkout's links to packages/, whose dist/ may be stale or missing.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = ['stripe-identity', 'emulator'];

export async function buildCli(): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', `idv-emulator-cli-test-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'bin'), { recursive: true });
  // Node stops looking for a package scope at node_modules, so declare ESM here.
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  await copyFile(join(ROOT, 'bin', 'idv.js'), join(dir, 'bin', 'idv.js'));
  await compile(join(ROOT, 'tsconfig.build.json'), join(dir, 'dist'));
  for (const name of PACKAGES) {
    const target = join(dir, 'node_modules', '@idv-outcomes', name);
    await mkdir(target, { recursive: true });
    await copyFile(join(ROOT, 'packages', name, 'package.json'), join(target, 'package.json'));
    await compile(join(ROOT, 'packages', name, 'tsconfig.build.json'), join(target, 'dist'));
  }
  return join(dir, 'bin', 'idv.js');
}

async function compile(project: string, outDir: string): Promise<void> {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // Type errors elsewhere in the tree (or a package's declarations not built yet) still emit JavaScript;
  // only a missing output is fatal.
  await run(
    process.execPath,
    [tsc, '-p', project, '--outDir', outDir, '--declaration', 'false', '--sourceMap', 'false'],
    { cwd: ROOT },
  ).catch(() => undefined);
}

export async function removeBuild(binPath: string): Promise<void> {
  await rm(resolve(binPath, '..', '..'), { recursive: true, force: true });
}

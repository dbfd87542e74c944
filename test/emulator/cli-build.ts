/**
 * Compiles src/ into a scratch folder inside node_modules/.cache (so `stripe` still resolves) with a copy
 * of bin/idv.js beside it, so a test can run `node bin/idv.js …` as a child process without touching the
 * checkout's dist/, which other work may be rebuilding.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

export async function buildCli(): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', `idv-emulator-cli-test-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'bin'), { recursive: true });
  // Node stops looking for a package scope at node_modules, so declare ESM here.
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  await copyFile(join(ROOT, 'bin', 'idv.js'), join(dir, 'bin', 'idv.js'));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // Type errors elsewhere in the tree still emit JavaScript; only a missing output is fatal.
  await run(
    process.execPath,
    [
      tsc,
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(dir, 'dist'),
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    {
      cwd: ROOT,
    },
  ).catch(() => undefined);
  return join(dir, 'bin', 'idv.js');
}

export async function removeBuild(binPath: string): Promise<void> {
  await rm(resolve(binPath, '..', '..'), { recursive: true, force: true });
}

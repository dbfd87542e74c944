/**
 * The import boundaries in eslint.config.js hold: each case lints one line as if it sat in the named file,
 * so a rule that silently stops matching (a renamed folder, a glob typo) fails here instead of letting an
 * import across a boundary through.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(file: string, specifier: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import '${specifier}';\n`, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

const CASES: [file: string, specifier: string, refused: boolean][] = [
  ['packages/stripe-identity/src/x.ts', 'node:crypto', false],
  ['packages/stripe-identity/src/x.ts', './terms.js', false],
  ['packages/stripe-identity/src/x.ts', 'node:fs', true],
  ['packages/stripe-identity/src/x.ts', '../../emulator/src/index.js', true],
  ['packages/emulator/src/x.ts', '@idv-outcomes/stripe-identity/terms', false],
  ['packages/emulator/src/x.ts', 'smtp-server', false],
  ['packages/emulator/src/x.ts', '../../../src/domain/terms.js', true],
  ['packages/emulator/src/x.ts', 'fastify', true],
  ['packages/emulator/src/routes/x.ts', '../model.js', false],
  ['packages/emulator/src/routes/x.ts', '../../../../src/stripe/signature.js', true],
  ['packages/emulator/test/x.test.ts', '../src/index.js', false],
  ['packages/emulator/test/x.test.ts', '../../../src/cli/main.js', true],
  ['src/client/x.ts', './types.js', false],
  ['src/client/x.ts', '../domain/terms.js', true],
  ['src/client/x.ts', 'node:http', true],
  ['src/http/x.ts', '@idv-outcomes/stripe-identity/signature', false],
  ['src/http/x.ts', '@idv-outcomes/emulator', true],
  ['src/demo/x.ts', 'smtp-server', true],
  ['src/reactions/x.ts', 'mailparser', true],
  ['src/worker/x.ts', '../../packages/emulator/src/index.js', true],
  ['src/main/demo.ts', '@idv-outcomes/emulator/mail-sink', false],
  ['src/cli/commands/trigger.ts', '@idv-outcomes/emulator', false],
  ['src/domain/x.ts', '@idv-outcomes/stripe-identity/terms', false],
  ['src/domain/x.ts', '@idv-outcomes/stripe-identity/signature', true],
  ['src/domain/x.ts', '@idv-outcomes/emulator', true],
  ['src/domain/x.ts', 'node:fs', true],
];

describe('import boundaries (eslint no-restricted-imports)', () => {
  it.each(CASES)('%s importing %s: refused %s', async (file, specifier, refused) => {
    expect(await restricted(file, specifier)).toBe(refused);
  });
});

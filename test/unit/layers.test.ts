/**
 * The layer rule of eslint.config.js (docs/architecture.md): an import that points up the layers fails
 * `npm run lint`. Linted as if the text were a file at the given path, with the project's own config.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layers', () => {
  it('fails lint when the domain imports the store', async () => {
    const messages = await restrictedImports(
      'src/domain/upward.ts',
      "import type { Store } from '../store/store.js';\nexport type S = Store;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/domain\/ may not import a layer above it/);
  });

  it('fails lint when the store imports the decisions above it, or the worker imports HTTP', async () => {
    expect(
      await restrictedImports(
        'src/store/upward.ts',
        "export { subjectChange } from '../outcomes/subject-change.js';\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports('src/worker/sideways.ts', "export { buildHttpApp } from '../http/app.js';\n"),
    ).toHaveLength(1);
  });

  it('lets a layer import the layers below it', async () => {
    expect(
      await restrictedImports(
        'src/outcomes/downward.ts',
        "export { deriveSubject } from '../domain/index.js';\nexport type { Store } from '../store/store.js';\n",
      ),
    ).toEqual([]);
  });

  it('keeps the domain free of I/O modules', async () => {
    expect(
      await restrictedImports(
        'src/domain/io.ts',
        "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n",
      ),
    ).toHaveLength(1);
  });
});

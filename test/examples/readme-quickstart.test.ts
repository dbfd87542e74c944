/**
 * The README's library-mode snippets are the example files themselves: each file is shown verbatim in the
 * README, after its name, so the code a reader copies is the code test/packaging/tarball.test.ts runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** The first fenced block after the first mention of `name` in the README. */
export function blockAfter(text: string, name: string): string | undefined {
  const at = text.indexOf(`\`${name}\``);
  if (at < 0) return undefined;
  return /```[a-z]*\n([\s\S]*?)```\n/.exec(text.slice(at))?.[1];
}

describe('README library mode', () => {
  it.each(['examples/library-quickstart.mjs', 'examples/library-quickstart.cjs', 'examples/client-app.mjs'])(
    'shows %s verbatim',
    (file) => {
      expect(blockAfter(readme, file)).toBe(readFileSync(resolve(ROOT, file), 'utf8'));
    },
  );
});

describe('README pictures', () => {
  it('shows every console screenshot under docs/console, and each picture it names exists', () => {
    const named = [...readme.matchAll(/(docs\/[\w/-]+\.png)/g)].map((m) => m[1]!);
    for (const file of named) expect(existsSync(resolve(ROOT, file)), file).toBe(true);
    const shots = readdirSync(resolve(ROOT, 'docs/console')).map((f) => `docs/console/${f}`);
    expect(shots.filter((f) => !named.includes(f))).toEqual([]);
  });
});

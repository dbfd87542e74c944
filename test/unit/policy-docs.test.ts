/**
 * The policy is documented from the code: the README's policy tables are what `npm run docs:policy`
 * generates from the domain's rules (a change to a default category or rule fails here until the README is
 * regenerated), and `idv policy show` prints the effective policy, built-in or from a file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { policyMarkdown } from '../../src/cli/policy-text.js';
import { DEFAULT_POLICY, KNOWN_ERROR_CODES, POLICY_KEYS } from '../../src/domain/index.js';
import { captureStream } from '../../packages/emulator/test/helpers.js';
import { tempDir } from '../helpers/temp.js';

const README = resolve(import.meta.dirname, '../../README.md');
const temp = tempDir('idv-policy-');
afterAll(() => temp.cleanup());

async function idv(argv: string[], env: Record<string, string> = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function readmeSection(): string {
  const text = readFileSync(README, 'utf8');
  const match = /<!-- policy:start \(npm run docs:policy\) -->\n\n([\s\S]*?)\n<!-- policy:end -->/.exec(text);
  expect(match, 'README.md has the policy markers').not.toBeNull();
  return match![1]!;
}

describe('the README policy section', () => {
  it('is what npm run docs:policy generates from the code', async () => {
    const options = { ...(await prettier.resolveConfig(README)), parser: 'markdown' };
    expect(readmeSection()).toBe(await prettier.format(policyMarkdown(DEFAULT_POLICY), options));
  });

  it('lists all 20 failure codes and every policy key', () => {
    const section = readmeSection();
    expect(KNOWN_ERROR_CODES).toHaveLength(20);
    for (const code of KNOWN_ERROR_CODES) expect(section).toMatch(new RegExp(`\\| \`${code}\` +\\| \``));
    for (const key of POLICY_KEYS) expect(section).toContain(`| \`${key}\``);
    expect(section).toMatch(/`under_supported_age` +\| `reject` +\| `rejected` +\| `email rejected`/);
    expect(section).toMatch(/`selfie_manipulated` +\| `review` +\| `in_review` +\| .*`review_case review`/);
  });
});

describe('idv policy show', () => {
  it('prints the built-in policy and every code', async () => {
    const out = await idv(['policy', 'show']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Policy: built-in');
    expect(out.stdout).toContain('max_attempts: 3');
    for (const code of KNOWN_ERROR_CODES) expect(out.stdout).toContain(code);
    expect(out.stdout).toMatch(/document_expired +retry +retry_required +email retry_required/);
  });

  it('--file (or IDV_POLICY) shows the effective policy of a file; a bad one names the key', async () => {
    const file = join(temp.dir, 'policy.yaml');
    writeFileSync(
      file,
      'max_attempts: 2\nexhausted: reject\ncategories:\n  document_expired: reject\n  brand_new_code: retry\n',
    );
    for (const out of [
      await idv(['policy', 'show', '--file', file]),
      await idv(['policy', 'show'], { IDV_POLICY: file }),
    ]) {
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`Policy: from ${file}`);
      expect(out.stdout).toContain('max_attempts: 2');
      expect(out.stdout).toMatch(/document_expired +reject +rejected/);
      expect(out.stdout).toMatch(/abandoned +retry +retry_required .* rejected\n/);
      expect(out.stdout).toMatch(/brand_new_code +retry +retry_required/);
    }
    writeFileSync(file, 'max_attempts: 0\n');
    const bad = await idv(['policy', 'show', '--file', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('max_attempts: expected an integer from 1 to 20');
  });
});

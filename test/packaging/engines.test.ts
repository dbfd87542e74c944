/**
 * `npm install` on the oldest Node that `engines` names prints no EBADENGINE: every package the lockfile
 * installs (dependencies and devDependencies alike) accepts that version. Regression: cookie@2, through
 * Fastify's light-my-request, wanted Node 22 while the README promised 20.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string) =>
  JSON.parse(readFileSync(resolve(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('engines', () => {
  const own = (read('package.json').engines as { node: string }).node;
  const oldest = semver.minVersion(own)!.version;

  it('names Node 20.19 or newer: require(esm) loads the package', () => {
    expect(own).toBe('>=20.19');
    expect(semver.satisfies(process.version, own)).toBe(true);
  });

  it('every locked package accepts the oldest Node that engines names', () => {
    const packages = read('package-lock.json').packages as Record<string, { engines?: unknown }>;
    const refusing = Object.entries(packages).flatMap(([path, entry]) => {
      const node = typeof entry.engines === 'object' ? (entry.engines as { node?: string }).node : undefined;
      return node && !semver.satisfies(oldest, node) ? [`${path} wants node ${node}`] : [];
    });
    expect(Object.keys(packages).length).toBeGreaterThan(100);
    expect(refusing).toEqual([]);
  });
});

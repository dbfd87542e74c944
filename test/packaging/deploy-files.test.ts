/**
 * The Dockerfile and compose.yaml (README "Deploy") checked without a Docker daemon: the compose file parses,
 * every idv command, flag and variable they use is one the CLI defines, the image runs as a non-root user with a
 * health check, and the files it copies exist after a build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/cli/main.js';
import type { Command } from '../../src/cli/command.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const idvServices = Object.entries(compose.services).filter(([, s]) => s.image === 'idv-outcomes');

/** The command an argv runs, and the flags it passes, checked against the command's one definition. */
function checkArgv(argv: readonly string[]): Command {
  const command = COMMANDS.find((c) => c.name === argv[0]);
  expect(command, `idv ${argv[0]} exists`).toBeDefined();
  for (const arg of argv.slice(1).filter((a) => a.startsWith('--'))) {
    expect(
      command!.flags.map((f) => `--${f.name}`),
      `${argv[0]} takes ${arg}`,
    ).toContain(arg);
  }
  return command!;
}

describe('compose.yaml', () => {
  it('runs PostgreSQL, a migration, two receivers, a worker and a dispatcher', () => {
    const roles = idvServices.map(([, s]) => s.command?.join(' '));
    expect(roles.filter((r) => r === 'serve --role receiver')).toHaveLength(2);
    expect(roles).toContain('serve --role worker');
    expect(roles).toContain('serve --role dispatcher');
    expect(roles).toContain('migrate');
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
  });

  it('uses only commands, flags and variables idv defines', () => {
    for (const [name, service] of idvServices) {
      const command = checkArgv(service.command ?? []);
      const known = command.env.map((e) => e.name);
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(known, `${name}: idv ${command.name} reads ${variable}`).toContain(variable);
      }
    }
  });

  it('points every idv service at the PostgreSQL service and waits for it', () => {
    for (const [name, service] of idvServices) {
      expect(service.environment?.IDV_DATABASE_URL, name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(Object.keys(service.depends_on ?? {}).length, name).toBeGreaterThan(0);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const json = (instruction: string) =>
    JSON.parse(new RegExp(`^${instruction} (\\[.*\\])$`, 'm').exec(runStage)?.[1] ?? 'null') as string[];

  it('runs idv as a non-root user, with a health check on /healthz', () => {
    expect(runStage).toMatch(/^USER node$/m);
    expect(runStage).toMatch(/^HEALTHCHECK .*\/healthz/ms);
    expect(json('ENTRYPOINT')).toEqual(['node', 'bin/idv.js']);
    checkArgv(json('CMD'));
  });

  it('sets only variables `idv serve` reads, and exposes its default port', () => {
    const serve = COMMANDS.find((c) => c.name === 'serve')!;
    const env = /^ENV ((?:.*\\\n)*.*)$/m.exec(runStage)?.[1] ?? '';
    const names = [...env.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names.filter((n) => n !== 'NODE_ENV')) {
      expect(serve.env.map((e) => e.name)).toContain(name);
    }
    expect(runStage).toMatch(/^EXPOSE 4242$/m);
  });

  it('copies what a built checkout has, and what the package ships', () => {
    const copied = [...runStage.matchAll(/^COPY --from=build \/app\/(\S+) /gm)].map((m) => m[1]!);
    for (const path of copied) expect(existsSync(join(ROOT, path)), path).toBe(true);
    const shipped = (JSON.parse(read('package.json')) as { files: string[] }).files.filter(
      (f) => f !== 'README.md',
    );
    for (const path of shipped) expect(copied).toContain(path);
  });
});

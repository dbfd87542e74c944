/**
 * The servers under test and how to start each one: the two baselines, and `idv serve` on SQLite (a fresh temp
 * file) or PostgreSQL (a fresh schema). Each start returns the running server and a reader for what it stored.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './processes.js';
import { createPgSchema, dropPgSchema, pgReader, sqliteReader } from './stores.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SECRET = 'whsec_idv_bench_0123456789abcdef';
/** A fixed bench key: personal fields are sealed with AES-GCM at rest when one is set. */
const ENCRYPTION_KEY = 'a1'.repeat(32);

/** The environment of a server: the caller's, minus anything that would configure idv behind our back. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(IDV_|STRIPE_|SMTP_|PORT$|HOST$|LOG_LEVEL$)/.test(key)) env[key] = value;
  }
  return { ...env, STRIPE_WEBHOOK_SECRET: SECRET, ...extra };
}

export const TARGETS = {
  raw: { label: 'raw node:http (ceiling)', stores: false },
  seed: { label: 'seed sample (Express + stripe-node)', stores: false },
  'idv-sqlite': { label: 'idv serve, SQLite, receiver', stores: true },
  'idv-sqlite-all': { label: 'idv serve (default: all roles), SQLite', stores: true, processes: true },
  'idv-sqlite-all-key': {
    label: 'idv serve (default: all roles), SQLite, IDV_ENCRYPTION_KEY set',
    stores: true,
    processes: true,
  },
  'idv-pg': { label: 'idv serve, PostgreSQL, receiver', stores: true },
  // Not pinned: os.availableParallelism() sees every core, so the worker and dispatcher get loop threads. On a
  // two-core machine the load generator shares those cores with the server.
  'idv-sqlite-all-threads': {
    label: 'idv serve (default: all roles), SQLite, not pinned: loop threads, load on the same cores',
    stores: true,
    processes: true,
    unpinned: true,
  },
};

let serial = 0;

/**
 * Starts `target`; `ctx` carries { tmp, pinning, nodeFlags }. Returns { server, reader, cleanup }.
 * `role` overrides the idv role (worker bench, soak); `dbFile` / `pgSchema` name an existing database.
 */
export async function startTarget(target, ctx, { role, env = {}, label, dbFile, pgSchema } = {}) {
  serial += 1;
  const tag = `${target}-${serial}`;
  const logFile = join(ctx.tmp, `${tag}.log`);
  const pinning = TARGETS[target]?.unpinned ? { enabled: false, reason: 'unpinned row' } : ctx.pinning;
  const common = { name: label ?? TARGETS[target]?.label ?? target, pinning, logFile };
  if (target === 'raw' || target === 'seed') {
    const script =
      target === 'raw' ? 'bench/baselines/raw-http/server.js' : 'bench/baselines/seed-express/server.js';
    const server = await startServer({
      ...common,
      args: [join(ROOT, script)],
      env: cleanEnv(env),
      readyPath: '/',
    });
    return { server, reader: null, cleanup: async () => undefined };
  }
  const idvRole = role ?? (TARGETS[target]?.processes ? 'all' : 'receiver');
  if (target === 'idv-sqlite-all-key') env = { IDV_ENCRYPTION_KEY: ENCRYPTION_KEY, ...env };
  let databaseUrl;
  let reader;
  let cleanup = async () => undefined;
  if (target === 'idv-pg') {
    // A schema the caller made (and drops) is used as it is: the worker bench preloads its inbox first.
    const schema = pgSchema ?? (await createPgSchema(`idv_bench_${process.pid}_${serial}`));
    databaseUrl = schema.url;
    reader = pgReader(schema.name);
    if (!pgSchema) cleanup = () => dropPgSchema(schema.name).catch(() => undefined);
  } else {
    const file = dbFile ?? join(ctx.tmp, `${tag}.db`);
    databaseUrl = `sqlite:${file}`;
    reader = sqliteReader(file);
    // A file this run made goes when it ends, with the dirty pages the kernel has not written back yet: left
    // behind, their writeback runs during the next row and slows its fsyncs (rows alternated between
    // 4,600 and 7,700 req/s with nothing else changed).
    if (!dbFile) cleanup = async () => removeSqliteFiles(file);
  }
  try {
    const server = await startServer({
      ...common,
      args: [join(ROOT, 'bin/idv.js'), 'serve', '--role', idvRole, '--db', databaseUrl],
      env: cleanEnv({ IDV_LIVEMODE: 'false', ...env }),
      nodeFlags: ctx.nodeFlags ?? [],
    });
    return { server, reader, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Removes a SQLite database with its WAL and shared-memory files. */
export function removeSqliteFiles(file) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

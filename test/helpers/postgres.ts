/**
 * PostgreSQL for tests: each test file (or test) gets its own schema in one shared database, so files run in
 * parallel without seeing each other's rows (the graphile-worker / pg-boss way). The server is found at
 * IDV_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 *
 * When it does not answer: with CI=true the PostgreSQL legs fail loudly (a CI run must never pass by skipping
 * them); elsewhere they are skipped and the reason is printed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_BASE_URL = process.env.IDV_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const IN_CI = process.env.CI === 'true';

export interface PostgresAvailability {
  available: boolean;
  /** Why the PostgreSQL legs are skipped; empty when available. */
  reason: string;
}

let probe: Promise<PostgresAvailability> | undefined;

/** Asks the server once per test file (a 3 s connect timeout) whether it answers. */
export function probePostgres(): Promise<PostgresAvailability> {
  return (probe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { available: true, reason: '' };
    } catch (err) {
      return {
        available: false,
        reason: `PostgreSQL at ${redact(PG_BASE_URL)} did not answer (${(err as Error).message || String(err)}); start it or set IDV_TEST_DATABASE_URL`,
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  })());
}

/**
 * Whether this file's PostgreSQL tests should be skipped. Prints the reason once when skipping; in CI it
 * never skips, so the tests run and fail with the connection error.
 */
export async function skipPostgres(): Promise<string | false> {
  const { available, reason } = await probePostgres();
  if (available) return false;
  if (IN_CI) {
    console.error(`CI=true: the PostgreSQL tests must run, but ${reason}`);
    return false;
  }
  console.warn(`Skipping the PostgreSQL tests: ${reason}`);
  return reason;
}

/** A schema name no other test file uses (the schema itself is created by the store's migrate()). */
export function uniqueSchema(prefix = 'idv_t'): string {
  return `${prefix}_${process.pid.toString(36)}_${randomBytes(4).toString('hex')}`;
}

export function schemaUrl(schema: string, base = PG_BASE_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Runs SQL as the test (not through the service), with search_path set to `schema` when given. */
export async function withAdminClient<T>(
  schema: string | null,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: PG_BASE_URL,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withAdminClient(null, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

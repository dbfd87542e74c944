/**
 * Connection settings and the pool. `?schema=name` in IDV_DATABASE_URL puts every table in that schema
 * (search_path is a start-up parameter of each connection, so it holds on every pooled client); migrate()
 * creates the schema when it is missing. BIGINT columns (ms times, ids, counts) come back as JS numbers:
 * they stay below 2^53 for the next 285,000 years, and the Store speaks numbers.
 */
import pg from 'pg';
import { NamedStatementClient } from './named-statements.js';

export interface PostgresConnection {
  /** The URL without idv's own `schema` parameter, for `pg`. */
  connectionString: string;
  /** null: the server's default search_path (usually `public`). */
  schema: string | null;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function parsePostgresUrl(url: string): PostgresConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('IDV_DATABASE_URL: expected postgres://user@host:port/db[?schema=name]');
  }
  const schema = parsed.searchParams.get('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `IDV_DATABASE_URL: schema "${schema}" must be a lowercase identifier (a-z, 0-9, _; not starting with a digit)`,
    );
  }
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const INT8_OID = 20;
const types = new pg.TypeOverrides();
types.setTypeParser(INT8_OID, (value: string) => Number(value));

export interface PoolOptions {
  poolSize: number;
  /** How long a checkout waits for a connection before failing (the receiver then answers 503). */
  connectTimeoutMs: number;
  /** Client-side limit on one query, so a silent network partition fails requests instead of hanging them. */
  queryTimeoutMs: number;
  onConnectionError: (err: Error) => void;
}

export function createPool(connection: PostgresConnection, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: connection.connectionString,
    max: options.poolSize,
    Client: NamedStatementClient,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
    ...(connection.schema ? { options: `-c search_path=${connection.schema}` } : {}),
  });
  // An idle client whose server went away (restart, failover, pg_terminate_backend) is reported here and
  // dropped by the pool; without a listener Node would crash the process. The next checkout reconnects.
  pool.on('error', (err) => options.onConnectionError(err));
  return pool;
}

/**
 * Runs `work` on one client. A client whose connection broke is destroyed rather than returned to the pool
 * (pg-pool also drops clients it knows are dead). While checked out the pool does not listen for the
 * client's errors, so this does: a connection dropped between two queries must not crash the process.
 */
export async function withClient<T>(
  pool: pg.Pool,
  onConnectionError: (err: Error) => void,
  work: (client: pg.PoolClient, markBroken: (err: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const markBroken = (err: Error) => {
    broken ??= err;
  };
  const onError = (err: Error) => {
    markBroken(err);
    onConnectionError(err);
  };
  client.on('error', onError);
  try {
    return await work(client, markBroken);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** Thrown inside `inTransaction` to roll back without failing: the transaction resolves with `value`. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * One transaction on one client: COMMIT when `work` resolves, ROLLBACK when it throws (rethrown, unless it
 * is a `Rollback`). A client whose ROLLBACK fails is destroyed, so no half-open transaction is reused.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  onConnectionError: (err: Error) => void,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  return withClient(pool, onConnectionError, async (client, markBroken) => {
    try {
      await client.query(begin);
    } catch (err) {
      markBroken(err as Error);
      throw err;
    }
    let result: T;
    try {
      result = await work(client);
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => markBroken(rollbackErr as Error));
      if (err instanceof Rollback) return err.value as T;
      throw err;
    }
    try {
      await client.query('COMMIT');
    } catch (err) {
      markBroken(err as Error);
      throw err;
    }
    return result;
  });
}

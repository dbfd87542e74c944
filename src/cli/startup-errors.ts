/**
 * Start-up failures a user causes with a setting — a database that cannot be reached or opened, a port
 * that is taken — as one line naming the variable and its flag, instead of the driver's bare message
 * (`connect ECONNREFUSED …`) or a stack among the JSON logs. The database URL is never echoed (it may
 * carry a password): only its host and port, or the SQLite path.
 */
interface Where {
  databaseUrl?: unknown;
  port?: unknown;
  host?: unknown;
}

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
}

const DB = 'IDV_DATABASE_URL (--db)';
const PORT = 'PORT (--port)';

/** The line to print, or undefined for an error that is not about a setting. */
export function explainStartupError(err: unknown, where: Where): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as SystemError;
  if (e.syscall === 'listen') return listenError(e, where);
  const url = typeof where.databaseUrl === 'string' ? where.databaseUrl : undefined;
  if (url === undefined) return undefined;
  return url.startsWith('sqlite:') ? sqliteError(e, url) : postgresError(e, url);
}

function listenError(e: SystemError, where: Where): string | undefined {
  const at = `${String(where.host ?? e.address)}:${String(where.port ?? e.port)}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return `${PORT}: ${at} is already in use; stop the other process or choose another port (0 picks a free one)`;
    case 'EACCES':
      return `${PORT}: not allowed to listen on ${at} (ports below 1024 need privileges); choose another port`;
    case 'EADDRNOTAVAIL':
      return `HOST (--host): ${String(where.host)} is not an address of this machine`;
    default:
      return undefined;
  }
}

/** host:port of a postgres:// URL, without user or password. */
function server(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'the server';
  }
}

function postgresError(e: SystemError, url: string): string | undefined {
  const at = server(url);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${DB}: cannot connect to PostgreSQL at ${at} (connection refused); is it running, on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${DB}: cannot connect to PostgreSQL: host ${at.split(':')[0]} not found`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${DB}: cannot reach PostgreSQL at ${at} (${e.code})`;
    case '28000': // invalid_authorization_specification: role "x" does not exist
    case '28P01': // invalid_password
    case '3D000': // invalid_catalog_name: database "x" does not exist
    case '42501': // insufficient_privilege
      // PostgreSQL's messages name the role or database, never the password.
      return `${DB}: PostgreSQL at ${at} refused: ${e.message}`;
    default:
      return /password|SASL/i.test(e.message)
        ? `${DB}: PostgreSQL at ${at} refused: ${e.message}`
        : undefined;
  }
}

function sqliteError(e: SystemError, url: string): string | undefined {
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  switch (e.code) {
    case 'SQLITE_NOTADB':
      return `${DB}: ${path} is not an SQLite database (file is not a database); point it at a new or an idv file`;
    case 'SQLITE_CANTOPEN':
      return `${DB}: cannot open ${path}; check that its folder exists and is writable`;
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `${DB}: no permission to write ${path} (${e.code})`;
    default:
      return undefined;
  }
}

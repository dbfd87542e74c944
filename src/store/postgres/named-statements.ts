/**
 * A pg Client that sends each parameterised statement as a named (prepared) one: PostgreSQL then parses and
 * analyses a statement once per connection instead of on every call. The worker runs a dozen short
 * statements per event, and parsing them cost about a third of the server's time per event (the worker
 * bench on PostgreSQL: 682 → 939 events/s with names, same run).
 *
 * Names are given per statement text, so a text must not carry values (every query here passes values as
 * parameters; interpolated parts are identifiers). Left unnamed:
 * - texts with more than MAX_PARAMETERS parameters: the receiver's multi-row INSERT has one text per batch
 *   size (1 to 500 rows), and a prepared 500-row insert holds about 1.4 MB of the server's memory per
 *   connection; its parsing is shared by the whole batch anyway;
 * - `SELECT *`: a prepared `*` fails ("cached plan must not change result type") once another process's
 *   migration adds a column while this one runs;
 * - everything past MAX_NAMES distinct texts, so no caller can grow every connection's statement cache
 *   without bound.
 */
import pg from 'pg';

const MAX_NAMES = 256;
const MAX_PARAMETERS = 32;
const names = new Map<string, string>();

function nameOf(text: string, parameters: number): string | undefined {
  if (parameters > MAX_PARAMETERS) return undefined;
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES && !/\bSELECT\s+\*/i.test(text)) {
    name = `idv_${names.size}`;
    names.set(text, name);
  }
  return name;
}

export class NamedStatementClient extends pg.Client {
  // pg's query has many overloads; only (text, values[, callback]) is rewritten, the rest pass through.
  override query(...args: unknown[]): never {
    const [config, values] = args;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = nameOf(config, values.length);
      if (name !== undefined) args = [{ name, text: config, values }, ...args.slice(2)];
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

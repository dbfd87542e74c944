/** SQLite migrations, numbered and forward-only. Append; never edit one that has shipped. */
import inbox from './001-inbox.js';
import outcomes from './002-outcomes.js';
import claimOrder from './003-claim-order.js';

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [inbox, outcomes, claimOrder];

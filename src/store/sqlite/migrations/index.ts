/** SQLite migrations, numbered and forward-only. Append; never edit one that has shipped. */
import inbox from './001-inbox.js';
import outcomes from './002-outcomes.js';
import claimOrder from './003-claim-order.js';
import outboxStatus from './004-outbox-status.js';
import privacy from './005-privacy.js';
import operators from './006-operators.js';
import expectations from './007-expectations.js';
import consoleMigration from './008-console.js';
import insights from './009-insights.js';
import statsColumns from './010-stats-columns.js';

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  inbox,
  outcomes,
  claimOrder,
  outboxStatus,
  privacy,
  operators,
  expectations,
  consoleMigration,
  insights,
  statsColumns,
];

/** Mirrors SQLite's 004: lets /metrics count dead and failed reactions without reading the whole outbox. */
export default {
  version: 4,
  name: 'outbox-status',
  sql: `CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status)`,
};

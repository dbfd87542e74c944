/**
 * Mirrors SQLite's 003. PostgreSQL's 001 and 002 already created the claim indexes in claim order; what is
 * left is dropping events_object, which no query reads and every receiver insert paid for.
 */
export default {
  version: 3,
  name: 'claim-order',
  sql: `DROP INDEX IF EXISTS events_object`,
};

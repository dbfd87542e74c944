/**
 * Mirrors SQLite's 003 (claim indexes matching the claim order). PostgreSQL's 001 and 002 already created
 * them that way, so there is nothing to change; the step keeps both adapters' migration numbers aligned.
 */
export default {
  version: 3,
  name: 'claim-order',
  sql: `SELECT 1`,
};

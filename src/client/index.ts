/** `idv-outcomes/client`: the typed HTTP client (client.ts) and the answer types (types.ts). */
export { createIdvClient, type IdvClient } from './client.js';
export { IdvApiError, type IdvClientOptions } from './transport.js';
export type * from './types.js';

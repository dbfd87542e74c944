/**
 * What idv-outcomes and its Stripe Identity emulator share: the Identity vocabulary (./terms.js, no imports)
 * and the webhook signature scheme (./signature.js, node:crypto only). Importers that must stay free of I/O
 * modules, such as the service's domain, import the `/terms` subpath instead of this file.
 */
export * from './terms.js';
export * from './signature.js';

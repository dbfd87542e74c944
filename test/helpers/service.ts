/** Starts the real service in-process on an ephemeral port with a real SQLite file. */
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { startService, type RunningService } from '../../src/main/service.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from './temp.js';

export const WEBHOOK_SECRET = 'whsec_test_primary_secret_0001';
// At least 32 characters, and different from each other: start-up refuses anything less.
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
export const API_TOKEN = 'api-token-for-tests-0123456789abcdef';

export interface TestService extends RunningService {
  dbPath: string;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startTestService(
  env: Record<string, string> = {},
  options: { store?: Store; dbPath?: string } = {},
): Promise<TestService> {
  const temp = options.dbPath ? undefined : tempDir();
  const dbPath = options.dbPath ?? join(temp!.dir, 'idv.db');
  const config = loadConfig(
    ['--port', '0'],
    {
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      IDV_DATABASE_URL: `sqlite:${dbPath}`,
      IDV_ADMIN_TOKEN: ADMIN_TOKEN,
      IDV_API_TOKEN: API_TOKEN,
      IDV_WORKER_POLL_MS: '20',
      IDV_DISPATCH_POLL_MS: '20',
      // In-process tests reach the worker and dispatcher objects; loop threads are tested through the CLI.
      IDV_LOOP_THREADS: 'off',
      ...env,
    },
    { requireWebhookSecret: true },
  );
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const service = await startService(config, { logger, ...(options.store ? { store: options.store } : {}) });
  return {
    ...service,
    dbPath,
    logs,
    stop: async () => {
      await service.close();
      temp?.cleanup();
    },
  };
}

export function adminGet(service: { url: string }, path: string): Promise<Response> {
  return fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
}

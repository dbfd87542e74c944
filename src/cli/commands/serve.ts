/** `idv serve`: run the service until SIGTERM/SIGINT, then stop accepting, finish in-flight work, close. */
import { loadConfig } from '../../config/load.js';
import { startService } from '../../main/service.js';
import { exitOnConfigError } from '../config-error.js';

export async function run(argv: string[]): Promise<number> {
  const config = exitOnConfigError(() => loadConfig(argv, process.env, { requireWebhookSecret: true }));
  if (typeof config === 'number') return config;
  const service = await startService(config);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      service.logger.info({ signal }, 'shutting down');
      service.close().then(resolve, (err: unknown) => {
        service.logger.error({ err }, 'error during shutdown');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

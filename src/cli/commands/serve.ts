/** `idv serve`: run the service until SIGTERM/SIGINT, then stop accepting, finish in-flight work, close. */
import { SERVICE_FLAGS, SERVICE_LABELS, SERVICE_VARIABLES, readServiceConfig } from '../../config/service.js';
import { defineCommand } from '../command.js';
import { untilStopped } from '../until-stopped.js';

export const serve = defineCommand({
  name: 'serve',
  summary: 'run the service (receiver, worker, dispatcher)',
  details: 'Flags override the environment. --role splits the parts over processes sharing one PostgreSQL.',
  flags: SERVICE_FLAGS,
  env: SERVICE_VARIABLES,
  labels: SERVICE_LABELS,
  settings: (read) => readServiceConfig(read, { requireWebhookSecret: true }),
  async run({ settings, signal }) {
    // Loaded here, not at the top: listing commands or running another one must not load the database driver.
    const { startService } = await import('../../main/service.js');
    const service = await startService(settings);
    const why = await untilStopped(signal);
    service.logger.info({ signal: why }, 'shutting down');
    await service.close().catch((err: unknown) => service.logger.error({ err }, 'error during shutdown'));
    return 0;
  },
});

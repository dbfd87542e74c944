/**
 * The in-process service on each store, for HTTP tests whose outcome depends on the database: SQLite on
 * a temp file, PostgreSQL on a fresh schema that is dropped on stop. The PostgreSQL leg is skipped (with
 * its reason) only when the server does not answer and CI is not set (helpers/postgres.ts).
 */
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema } from './postgres.js';
import { startTestService, type TestService } from './service.js';

export interface ServiceLeg {
  name: 'sqlite' | 'postgres';
  skipReason: string | false;
  start(env?: Record<string, string>): Promise<TestService>;
}

export async function serviceLegs(): Promise<ServiceLeg[]> {
  return [
    { name: 'sqlite', skipReason: false, start: (env = {}) => startTestService(env) },
    {
      name: 'postgres',
      skipReason: await skipPostgres(),
      async start(env = {}) {
        const schema = uniqueSchema('idv_edge');
        const service = await startTestService({ IDV_DATABASE_URL: schemaUrl(schema), ...env });
        return {
          ...service,
          stop: async () => {
            await service.stop();
            await dropSchema(schema);
          },
        };
      },
    },
  ];
}

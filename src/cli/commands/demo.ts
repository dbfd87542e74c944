/** `idv demo [--data ./data]`: the offline demo (emulator + idv on SQLite + mail sink + demo page). */
import { readDemo } from '../../config/local.js';
import { LOG_LEVEL_VARIABLE } from '../../config/worker.js';
import { DEFAULT_PORT as EMULATOR_PORT } from '@idv-outcomes/emulator';
import { defineCommand } from '../command.js';
import { untilStopped } from '../until-stopped.js';

export const demo = defineCommand({
  name: 'demo',
  summary: 'the offline demo: emulator, idv on SQLite under ./data, a mail sink and a demo page',
  details: 'Taken ports fall back to free ones. No Stripe account is used; nothing leaves this machine.',
  flags: [
    { name: 'data', value: 'DIR', description: "where idv's SQLite database is kept" },
    { name: 'port', value: 'PORT', description: 'the demo page' },
    { name: 'service-port', value: 'PORT', description: 'the idv service' },
    { name: 'emulator-port', value: 'PORT', description: 'the Stripe Identity emulator' },
  ],
  env: [LOG_LEVEL_VARIABLE],
  settings: (read) => readDemo(read, { emulatorPort: EMULATOR_PORT }),
  async run({ settings, stdout, signal }) {
    // Loaded here, not at the top: listing commands or running another one must not load the database driver.
    const { startDemo } = await import('../../main/demo.js');
    const demo = await startDemo(settings);
    stdout.write(
      [
        '',
        'idv-outcomes demo is running (Ctrl-C stops it). Everything is local; no Stripe account is used.',
        '',
        `  Demo page:        ${demo.urls.demo}`,
        `  idv service:      ${demo.urls.service}  (webhook: ${demo.urls.service}/webhook)`,
        `  Admin UI:         ${demo.urls.admin}  (token: ${demo.adminToken})`,
        `  Stripe emulator:  ${demo.urls.emulator}`,
        `  Mail sink:        ${demo.urls.smtp}`,
        '',
        'Open the demo page, start a verification, pick an outcome on the verification page and watch the',
        "user's state, history and emails change.",
        '',
      ].join('\n'),
    );
    await untilStopped(signal);
    await demo.close();
    return 0;
  },
});

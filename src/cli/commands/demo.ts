/** `idv demo [--data ./data]`: the offline demo (emulator + idv on SQLite + mail sink + demo page). */
import { parseArgs, stringFlag } from '../args.js';
import { startDemo } from '../../main/demo.js';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const demo = await startDemo({
    dataDir: stringFlag(args, 'data') ?? './data',
    ports: {
      demo: Number(stringFlag(args, 'port') ?? 4243),
      service: Number(stringFlag(args, 'service-port') ?? 4242),
      emulator: Number(stringFlag(args, 'emulator-port') ?? 12111),
    },
  });
  process.stdout.write(
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
  await new Promise<void>((resolve) => {
    const stop = () => void demo.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/**
 * `idv operator add NAME --role viewer|reviewer|admin`, `idv operator list`, `idv operator remove NAME`:
 * the named operators of the admin API and console. `add` prints the operator's token once; the database
 * keeps only its SHA-256, and the name encrypted with IDV_ENCRYPTION_KEY (it is personal), so names are
 * compared here, after decryption, not by a unique index. The running service looks operators up on every
 * request: an operator added or removed here counts at once.
 */
import { randomBytes } from 'node:crypto';
import { DATABASE_FLAG } from '../../config/service.js';
import {
  OPERATOR_VARIABLES,
  readOperatorAdd,
  readOperatorStore,
  type OperatorSettings,
} from '../../config/operators.js';
import type { Store } from '../../store/store.js';
import { defineCommand, defineGroup } from '../command.js';

const NAME_MAX = 200;

async function withStore<T>(settings: Omit<OperatorSettings, 'role'>, use: (store: Store) => Promise<T>) {
  const { openConfiguredStore } = await import('../../main/open-store.js');
  const store = await openConfiguredStore({ ...settings, pgPoolSize: 1 });
  try {
    await store.migrate();
    return await use(store);
  } finally {
    await store.close();
  }
}

const add = defineCommand({
  name: 'operator add',
  summary: 'add a named operator and print their token once',
  args: '<name>',
  details:
    'Viewers read; reviewers also decide cases and reveal personal data; admins also replay and manage.',
  flags: [
    DATABASE_FLAG,
    { name: 'role', value: 'ROLE', description: 'viewer, reviewer or admin (required)' },
  ],
  env: OPERATOR_VARIABLES,
  settings: readOperatorAdd,
  async run({ settings, args, stdout, fail, clock }) {
    const name = args.join(' ').trim();
    if (name === '' || name.length > NAME_MAX) return fail(`NAME: 1 to ${NAME_MAX} characters`, 2);
    if (name.toLowerCase() === 'admin')
      return fail('"admin" is the break-glass operator of IDV_ADMIN_TOKEN', 2);
    const { tokenHash } = await import('../../http/operators.js');
    const token = `idvop_${randomBytes(32).toString('hex')}`;
    const id = `op_${randomBytes(8).toString('hex')}`;
    const added = await withStore(settings, async (store) => {
      if ((await store.listOperators()).some((o) => o.name === name)) return false;
      await store.addOperator({
        id,
        name,
        role: settings.role,
        tokenHash: tokenHash(token),
        createdAt: clock(),
      });
      return true;
    });
    if (!added) return fail(`an operator named "${name}" exists; remove it first`);
    stdout.write(
      [
        `Added ${settings.role} ${name} (${id}).`,
        'Token (shown only once; idv keeps only its hash):',
        token,
        '',
      ].join('\n'),
    );
    return 0;
  },
});

const list = defineCommand({
  name: 'operator list',
  summary: 'list the named operators and their roles',
  flags: [DATABASE_FLAG],
  env: OPERATOR_VARIABLES,
  settings: readOperatorStore,
  async run({ settings, stdout }) {
    const operators = await withStore(settings, (store) => store.listOperators());
    if (operators.length === 0)
      stdout.write('No operators. Add one with `idv operator add NAME --role ROLE`.\n');
    for (const o of operators) {
      stdout.write(`${o.id}\t${o.role}\t${o.name}\t${new Date(o.createdAt).toISOString()}\n`);
    }
    return 0;
  },
});

const remove = defineCommand({
  name: 'operator remove',
  summary: 'remove a named operator; their token stops working at once',
  args: '<name>',
  flags: [DATABASE_FLAG],
  env: OPERATOR_VARIABLES,
  settings: readOperatorStore,
  async run({ settings, args, stdout, fail }) {
    const name = args.join(' ').trim();
    const removed = await withStore(settings, async (store) => {
      const found = (await store.listOperators()).find((o) => o.name === name || o.id === name);
      return found && (await store.removeOperator(found.id)) ? found : undefined;
    });
    if (!removed) return fail(`no operator named "${name}"`);
    stdout.write(`Removed ${removed.role} ${removed.name} (${removed.id}).\n`);
    return 0;
  },
});

export const operator = defineGroup({
  name: 'operator',
  summary: 'add, list and remove the named operators of the admin API',
  subcommands: [add, list, remove],
});

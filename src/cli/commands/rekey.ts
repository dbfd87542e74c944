/**
 * `idv rekey [--db URL] [--batch 500]`: re-encrypts every personal value with the first key of
 * IDV_ENCRYPTION_KEYS, printing progress per column. Safe to run while the service runs, and to run again.
 */
import { REKEY_VARIABLES, readRekey } from '../../config/operations.js';
import { DATABASE_FLAG } from '../../config/service.js';
import { defineCommand } from '../command.js';

export const rekey = defineCommand({
  name: 'rekey',
  summary: 're-encrypt every personal value with the current key (after adding a key to IDV_ENCRYPTION_KEYS)',
  details:
    'Put the new key first in IDV_ENCRYPTION_KEYS, keep the old ones after it, restart the service, run this; then the old keys can be removed.',
  flags: [DATABASE_FLAG, { name: 'batch', value: 'N', description: 'rows per transaction (default 500)' }],
  env: REKEY_VARIABLES,
  settings: readRekey,
  async run({ settings, stdout }) {
    const [{ openStore }, { PersonalDataCipher }, { rekeyAll }] = await Promise.all([
      import('../../main/open-store.js'),
      import('../../store/personal-data-cipher.js'),
      import('../../worker/rekey.js'),
    ]);
    const cipher = new PersonalDataCipher(settings.encryptionKeys);
    const store = await openStore(settings.databaseUrl, { pgPoolSize: 1 });
    try {
      await store.migrate();
      stdout.write(`Re-encrypting personal data with key ${cipher.currentKeyId}…\n`);
      const total = await rekeyAll(store, cipher, {
        batchSize: settings.batchSize,
        onProgress: (p) => {
          if (p.done || p.scanned % (settings.batchSize * 20) === 0) {
            stdout.write(
              `  ${p.column}: ${p.scanned} scanned, ${p.rewritten} re-encrypted${p.done ? '' : '…'}\n`,
            );
          }
        },
      });
      stdout.write(`Done: ${total.rewritten} of ${total.scanned} values re-encrypted.\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

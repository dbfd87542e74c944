/**
 * `idv rekey`: re-encrypts every personal value with the current key of the ring, in batches, so an old key
 * can be dropped from IDV_ENCRYPTION_KEYS afterwards. Plaintext written before a key was configured is
 * encrypted on the way. Values already under the current key are left alone, so a second run (or a run
 * resumed after an interruption) only does what is left.
 */
import type { PersonalDataCipher } from '../store/personal-data-cipher.js';
import { PERSONAL_COLUMNS, type PersonalColumn } from '../store/personal-columns.js';
import type { Maintenance } from '../store/store.js';

export interface RekeyProgress {
  column: string;
  scanned: number;
  rewritten: number;
  done: boolean;
}

export async function rekeyAll(
  store: Maintenance,
  cipher: PersonalDataCipher,
  options: { batchSize: number; onProgress?: (progress: RekeyProgress) => void },
): Promise<{ scanned: number; rewritten: number }> {
  const total = { scanned: 0, rewritten: 0 };
  for (const column of PERSONAL_COLUMNS) {
    const name = `${column.table}.${column.column}`;
    const seen = { scanned: 0, rewritten: 0 };
    let after: string | number | null = null;
    do {
      const page = await store.rewriteColumn(column, after, options.batchSize, rewriterFor(column, cipher));
      seen.scanned += page.scanned;
      seen.rewritten += page.rewritten;
      after = page.last;
      options.onProgress?.({ column: name, ...seen, done: after === null });
    } while (after !== null);
    total.scanned += seen.scanned;
    total.rewritten += seen.rewritten;
  }
  return total;
}

function rewriterFor(column: PersonalColumn, cipher: PersonalDataCipher): (value: string) => string {
  const rekey = (value: string) => (cipher.needsRekey(value) ? cipher.rekey(value) : value);
  if (!column.json) return rekey;
  // A manual decision: the operator's name and note are encrypted inside the record.
  return (document) => {
    const record = JSON.parse(document) as Record<string, unknown> | null;
    if (record === null || typeof record !== 'object') return document;
    let changed = false;
    for (const field of ['decidedBy', 'note']) {
      const value = record[field];
      if (typeof value !== 'string') continue;
      const next = rekey(value);
      if (next !== value) {
        record[field] = next;
        changed = true;
      }
    }
    return changed ? JSON.stringify(record) : document;
  };
}

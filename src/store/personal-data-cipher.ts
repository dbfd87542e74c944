/**
 * Encryption at rest for the personal data idv keeps, with AES-256-GCM and a key ring: the first key of
 * IDV_ENCRYPTION_KEYS (or the single IDV_ENCRYPTION_KEY) encrypts, every key of the ring decrypts.
 *
 * A ciphertext names its key — `enc:v2:<key id>:<iv>:<tag>:<body>`, the key id being the first 8 hex digits
 * of the key's SHA-256, which names the key without revealing it — so after a rotation old values still
 * read, `idv rekey` knows which values to re-encrypt, and a missing key is reported by its id instead of
 * yielding garbage. Values of the first format (`enc:v1:`, no key id) are read with the current key.
 * Plaintext (written before a key was configured) passes through decryption unchanged.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const V1 = 'enc:v1:';
const V2 = 'enc:v2:';

interface RingKey {
  id: string;
  key: Buffer;
}

export class PersonalDataCipher {
  private readonly keys: RingKey[];

  /** `hexKeys`: one key, or the ring with the current key first; each 64 hex characters. */
  constructor(hexKeys: string | readonly string[]) {
    const list = typeof hexKeys === 'string' ? [hexKeys] : [...hexKeys];
    if (list.length === 0) throw new Error('IDV_ENCRYPTION_KEYS: at least one key is needed');
    this.keys = list.map((hex, i) => {
      const key = Buffer.from(hex, 'hex');
      if (key.length !== 32 || !/^[0-9a-fA-F]{64}$/.test(hex)) {
        throw new Error(`IDV_ENCRYPTION_KEYS: key ${i + 1} must be 32 bytes (64 hex characters)`);
      }
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  }

  /** The id of the key new values are encrypted with. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  encrypt(plain: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${V2}${id}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
  }

  /** Plaintext passes through; a value no key of the ring can open throws, naming the key it needs. */
  decrypt(stored: string): string {
    if (stored.startsWith(V2)) {
      const [id, iv, tag, body] = stored.slice(V2.length).split(':');
      if (!id || !iv || !tag || body === undefined) throw new Error('malformed encrypted value');
      const ring = this.keys.find((k) => k.id === id);
      if (!ring) throw new Error(`a value is encrypted with key ${id}, which is not in IDV_ENCRYPTION_KEYS`);
      return open(ring.key, iv, tag, body);
    }
    if (stored.startsWith(V1)) {
      const [iv, tag, body] = stored.slice(V1.length).split(':');
      if (!iv || !tag || body === undefined) throw new Error('malformed encrypted value');
      return open(this.keys[0]!.key, iv, tag, body);
    }
    return stored;
  }

  /** Whether `stored` is plaintext or encrypted with another key than the current one (`idv rekey`). */
  needsRekey(stored: string): boolean {
    return !stored.startsWith(`${V2}${this.currentKeyId}:`);
  }

  /** `value` decrypted and encrypted again with the current key. */
  rekey(stored: string): string {
    return this.encrypt(this.decrypt(stored));
  }
}

function open(key: Buffer, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** Whether a stored value is one of this module's ciphertexts. */
export function isEncrypted(stored: string): boolean {
  return stored.startsWith(V2) || stored.startsWith(V1);
}

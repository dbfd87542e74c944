/**
 * Wraps any Store so the personal data it keeps is encrypted at rest (DESIGN.md "Privacy") without either
 * adapter knowing: emails are decrypted in the snapshots the pure `decide` callbacks see and in subject
 * reads, and encrypted in the changes those callbacks return. Every other method passes through.
 */
import type { PersonalDataCipher } from './personal-data-cipher.js';
import type { EventApplication, SubjectChange, SubjectSnapshot } from './records.js';
import type { Store } from './store.js';

export function withEncryptedPersonalData(store: Store, cipher: PersonalDataCipher): Store {
  const openSnapshot = <T extends SubjectSnapshot | null>(snapshot: T): T =>
    snapshot?.subject?.email
      ? { ...snapshot, subject: { ...snapshot.subject, email: cipher.decrypt(snapshot.subject.email) } }
      : snapshot;
  const sealChange = (change: SubjectChange): SubjectChange =>
    change.subject?.email
      ? { ...change, subject: { ...change.subject, email: cipher.encrypt(change.subject.email) } }
      : change;

  const wrap = (application: EventApplication): EventApplication => ({
    resolveSubject: (stored) => application.resolveSubject(stored),
    decide: (stored, snapshot) => sealChange(application.decide(stored, openSnapshot(snapshot))),
  });

  // Every Store method that hands a snapshot to a callback or returns a subject must be listed here.
  const overrides: Partial<Store> = {
    applyEvent: (claim, application, now) => store.applyEvent(claim, wrap(application), now),
    applyEvents: (items, now) =>
      store.applyEvents(
        items.map((item) => ({ ...item, application: wrap(item.application) })),
        now,
      ),
    updateSubject: (ref, decide, now) =>
      store.updateSubject(
        ref,
        (snapshot) => {
          const { change, result } = decide(openSnapshot(snapshot));
          return { change: change && sealChange(change), result };
        },
        now,
      ),
    getSubject: async (ref) => openSnapshot(await store.getSubject(ref)),
  };

  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Store];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

import { DatabaseHealth } from '../../src/storage/health.js';
import type { Store } from '../../src/storage/store.js';

const REFUSED = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A store whose database can be sent away and brought back; the real one underneath keeps the data. */
export function switchable(store: Store) {
  let away = false;
  let hang = false;
  const committedVersion = (): Promise<number> => {
    if (hang) return new Promise(() => undefined);
    return away ? Promise.reject(REFUSED) : store.committedVersion();
  };
  const health = new DatabaseHealth(committedVersion);
  // A database that can stop answering is a server one, whatever the suite runs on.
  const wrapped: Store = { ...store, health, committedVersion, waitsOnServer: true };
  return {
    store: wrapped,
    goAway() {
      away = true;
      health.markDown(REFUSED);
    },
    comeBack() {
      away = false;
      hang = false;
    },
    /** the database takes connections but answers nothing (a frozen server) */
    stopAnswering() {
      hang = true;
    },
  };
}

/**
 * Messages sent before their files were uploaded, kept in IndexedDB until they are sent, so that
 * a reload or a room switch does not lose them (the text outbox lives in localStorage, which
 * cannot hold files; IndexedDB stores File blobs as they are).
 *
 * One record per message, keyed by its clientId (the one it is sent with, so a record that
 * outlives its send by a crash is sent again as the same message, which the server stores once).
 * `owner` is the user and the composer it was written in (`<userId> room:<name>`).
 * Without IndexedDB (tests, some private modes) every call does nothing: the message then only
 * waits in memory, as before.
 */
export interface StoredWaitingSend {
  clientId: string;
  owner: string;
  text: string;
  files: { key: string; file: File }[];
  createdAt: string;
}

const DB_NAME = 'chat.waiting-sends';
const STORE = 'sends';

let opening: Promise<IDBDatabase | null> | undefined;

function database(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') return resolve(null);
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: 'clientId' }).createIndex('owner', 'owner');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null); // refused (storage disabled): the app still works, it just forgets on reload
    }
  });
  return opening;
}

/** Runs one request in its own transaction; undefined when there is no database or it failed. */
async function run<T>(
  mode: IDBTransactionMode,
  call: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T | undefined> {
  const db = await database();
  if (!db) return undefined;
  return new Promise((resolve) => {
    try {
      const transaction = db.transaction(STORE, mode);
      const request = call(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => resolve(undefined);
      transaction.onabort = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
}

/** The waiting messages of one user's composer, oldest first. */
export async function loadWaitingSends(owner: string): Promise<StoredWaitingSend[]> {
  const found = await run('readonly', (store) => store.index('owner').getAll(owner));
  return ((found ?? []) as StoredWaitingSend[]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function saveWaitingSend(send: StoredWaitingSend): Promise<void> {
  await run('readwrite', (store) => store.put(send));
}

/** Once it is in the chat's outbox (sent), or discarded. */
export async function deleteWaitingSend(clientId: string): Promise<void> {
  await run('readwrite', (store) => store.delete(clientId));
}

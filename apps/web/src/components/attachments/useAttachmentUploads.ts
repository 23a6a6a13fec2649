import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_ATTACHMENTS, type UploadResponse } from '@chat/contracts';
import { ApiError } from '../../api/http.js';
import { uploadFile } from '../../api/uploads-api.js';
import { deleteWaitingSend, loadWaitingSends, saveWaitingSend } from './waiting-store.js';

/** One file of the composer, from choosing it to its upload's answer. */
export interface UploadItem {
  key: string;
  file: File;
  /** `waiting`: offline, starts when the browser is back online. */
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  /** 0..1 while uploading. */
  progress: number;
  uploaded?: UploadResponse;
  error?: string;
  /** The failure may pass (the network, the server, a quota): worth a retry. Not for a refused file. */
  retryable?: boolean;
}

/** A message sent before its files were all uploaded: sent once they are. */
export interface WaitingSend {
  /** Also the clientId it is sent with. */
  key: string;
  text: string;
  items: UploadItem[];
}

export interface AttachmentUploads {
  /** The files of the message being written. */
  items: UploadItem[];
  /** Messages whose files are still on their way (offline, or still uploading). */
  waiting: WaitingSend[];
  /** A file was refused for good: remove it before sending. */
  blocked: boolean;
  add: (files: Iterable<File>) => void;
  cancel: (key: string) => void;
  retry: (key: string) => void;
  /**
   * Sends `text` with the current files: at once when they are all uploaded, else once they are
   * (the message waits here, then goes to the chat's outbox like any other).
   */
  submit: (text: string) => void;
  /** Drops a waiting message and its files. */
  discard: (key: string) => void;
}

/**
 * The composer's attachments: each file uploads as soon as it is added (or once the browser is
 * online), with progress, cancel and retry; a message sent meanwhile waits for its files.
 * `send` gets the text and the upload ids once every file of the message is uploaded (and, for a
 * message that waited, the clientId it was given when it was written).
 *
 * With `owner` (the user and the composer, e.g. `<userId> room:general`) a waiting message and
 * its files are also kept in IndexedDB (see waiting-store.ts) until sent or discarded: a reload
 * or a room switch brings it back here, waiting, and it is sent with the same clientId.
 */
export function useAttachmentUploads(
  send: (text: string, attachments: string[], clientId?: string) => void,
  owner?: string,
): AttachmentUploads {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [waiting, setWaiting] = useState<WaitingSend[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  /** Finished uploads by item key, and the waiting messages: read at once, not at the next render. */
  const finished = useRef(new Map<string, UploadResponse>());
  const waitingNow = useRef<WaitingSend[]>([]);
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });

  /** Applies a change to an item wherever it is: in the composer or in a waiting message. */
  const update = useCallback((key: string, change: Partial<UploadItem>) => {
    const apply = (list: UploadItem[]) =>
      list.map((item) => (item.key === key ? { ...item, ...change } : item));
    setItems(apply);
    setWaiting((list) => list.map((w) => ({ ...w, items: apply(w.items) })));
  }, []);

  /** Sends the waiting messages whose files are all uploaded now. */
  const flushWaiting = useCallback(() => {
    const ready = waitingNow.current.filter((w) => w.items.every((item) => finished.current.has(item.key)));
    if (ready.length === 0) return;
    waitingNow.current = waitingNow.current.filter((w) => !ready.includes(w));
    setWaiting((list) => list.filter((w) => !ready.some((r) => r.key === w.key)));
    for (const w of ready) {
      // Into the chat's outbox (kept in localStorage) first, then out of IndexedDB: a crash in
      // between sends it again with the same clientId, which the server stores once.
      sendRef.current(w.text, idsOf(w.items, finished.current), w.key);
      void deleteWaitingSend(w.key);
    }
  }, []);

  const start = useCallback(
    (item: UploadItem) => {
      if (!navigator.onLine) {
        update(item.key, { status: 'waiting', progress: 0 });
        return;
      }
      const controller = new AbortController();
      controllers.current.set(item.key, controller);
      update(item.key, { status: 'uploading', progress: 0, error: undefined });
      uploadFile(item.file, {
        signal: controller.signal,
        onProgress: (sent, total) => update(item.key, { progress: total > 0 ? sent / total : 0 }),
      }).then(
        (uploaded) => {
          finished.current.set(item.key, uploaded);
          update(item.key, { status: 'done', progress: 1, uploaded });
          flushWaiting();
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          // Offline in the middle: it starts again when the browser is back.
          const offline = error instanceof ApiError && error.status === 0 && !navigator.onLine;
          update(
            item.key,
            offline
              ? { status: 'waiting' }
              : { status: 'failed', error: describe(error), retryable: isRetryable(error) },
          );
        },
      );
    },
    [update, flushWaiting],
  );

  // Everything that waited for the network starts when it is back.
  const latest = useRef({ items, waiting });
  useEffect(() => {
    latest.current = { items, waiting };
  });
  useEffect(() => {
    const resume = () => {
      const all = [...latest.current.items, ...latest.current.waiting.flatMap((w) => w.items)];
      all.filter((item) => item.status === 'waiting').forEach(start);
    };
    window.addEventListener('online', resume);
    return () => window.removeEventListener('online', resume);
  }, [start]);

  useEffect(() => {
    const all = controllers.current;
    return () => all.forEach((controller) => controller.abort());
  }, []);

  // What waited here before a reload or a room switch comes back, waiting, and uploads again.
  useEffect(() => {
    if (!owner) return;
    let current = true;
    void loadWaitingSends(owner).then((stored) => {
      if (!current) return;
      const known = new Set(waitingNow.current.map((w) => w.key));
      const restored = stored
        .filter((record) => !known.has(record.clientId))
        .map((record): WaitingSend => ({
          key: record.clientId,
          text: record.text,
          items: record.files.map(({ key, file }) => ({ key, file, status: 'waiting', progress: 0 })),
        }));
      if (restored.length === 0) return;
      waitingNow.current = [...waitingNow.current, ...restored];
      setWaiting((list) => [...list, ...restored]);
      restored.flatMap((w) => w.items).forEach(start);
    });
    return () => {
      current = false;
    };
  }, [owner, start]);

  const add = useCallback(
    (files: Iterable<File>) => {
      const room = MAX_ATTACHMENTS - latest.current.items.length;
      const added = [...files]
        .slice(0, Math.max(0, room))
        .map((file): UploadItem => ({ key: crypto.randomUUID(), file, status: 'waiting', progress: 0 }));
      setItems((list) => [...list, ...added]);
      added.forEach(start);
    },
    [start],
  );

  const cancel = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setItems((list) => list.filter((item) => item.key !== key));
  }, []);

  const retry = useCallback(
    (key: string) => {
      const all = [...latest.current.items, ...latest.current.waiting.flatMap((w) => w.items)];
      const item = all.find((candidate) => candidate.key === key);
      if (item) start(item);
    },
    [start],
  );

  const submit = useCallback(
    (text: string) => {
      const current = latest.current.items;
      setItems([]);
      if (current.every((item) => finished.current.has(item.key))) {
        sendRef.current(text, idsOf(current, finished.current));
      } else {
        const send = { key: crypto.randomUUID(), text, items: current };
        waitingNow.current = [...waitingNow.current, send];
        setWaiting((list) => [...list, send]);
        if (owner) {
          void saveWaitingSend({
            clientId: send.key,
            owner,
            text,
            files: current.map(({ key, file }) => ({ key, file })),
            createdAt: new Date().toISOString(),
          });
        }
      }
    },
    [owner],
  );

  const discard = useCallback((key: string) => {
    const dropped = waitingNow.current.find((w) => w.key === key);
    dropped?.items.forEach((item) => controllers.current.get(item.key)?.abort());
    waitingNow.current = waitingNow.current.filter((w) => w.key !== key);
    setWaiting((list) => list.filter((w) => w.key !== key));
    void deleteWaitingSend(key);
  }, []);

  const blocked = items.some((item) => item.status === 'failed' && !item.retryable);
  return { items, waiting, blocked, add, cancel, retry, submit, discard };
}

/** A file the server refused as it is (400, 401, 403, 413) fails again; anything else may not. */
function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status === 429 || error.status >= 500;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : 'the upload failed';
}

function idsOf(items: readonly UploadItem[], finished: ReadonlyMap<string, UploadResponse>): string[] {
  return items.map((item) => finished.get(item.key)!.id);
}

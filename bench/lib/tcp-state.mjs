import { readFileSync } from 'node:fs';

/** TCP state code for ESTABLISHED in /proc/net/tcp. */
const ESTABLISHED = '01';

const hexPort = (port) => port.toString(16).toUpperCase().padStart(4, '0');

/**
 * Watches the server's end of one loopback connection in /proc/net/tcp and records when it
 * stops being ESTABLISHED (the server closed or cut it). Used for a client that is not reading:
 * such a client learns nothing of its closure until it reads the backlog in front of the FIN.
 * @param {number} serverPort
 * @param {number} clientPort
 * @param {number} everyMs
 */
export function watchServerSideSocket(serverPort, clientPort, everyMs) {
  const local = `0100007F:${hexPort(serverPort)}`;
  const remote = `0100007F:${hexPort(clientPort)}`;
  /** @type {number | null} */
  let closedAt = null;
  // Disappearance only means "closed" after the socket was seen once; otherwise a parsing
  // mismatch would read as an instant close.
  let seen = false;
  const check = () => {
    if (closedAt !== null) return;
    let table;
    try {
      table = readFileSync('/proc/net/tcp', 'latin1');
    } catch {
      return;
    }
    const at = table.indexOf(`${local} ${remote} `);
    const state =
      at < 0
        ? null
        : table.slice(at + local.length + remote.length + 2, at + local.length + remote.length + 4);
    if (state === ESTABLISHED) seen = true;
    else if (seen) closedAt = performance.now();
  };
  check();
  const timer = setInterval(check, everyMs);
  return {
    /**
     * Stops watching. closedAt: when the server side left ESTABLISHED (performance.now ms), or
     * null; seen: whether the socket was ever found (false means the watch could not work).
     */
    stop() {
      clearInterval(timer);
      check();
      return { closedAt, seen };
    },
  };
}

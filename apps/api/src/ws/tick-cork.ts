import type { Writable } from 'node:stream';

/**
 * Past this many bytes held for one socket, they go out at once: batching pays for small frames
 * (one syscall for dozens of them), and held bytes count as queued against MAX_QUEUED_BYTES, so a
 * reader that keeps up must never be mistaken for a slow one because of them.
 */
const FLUSH_AT_BYTES = 16 * 1024;

const corked: Writable[] = [];

function uncorkAll(): void {
  // Reads the length on every pass: a socket corked while uncorking still gets its turn.
  for (let i = 0; i < corked.length; i++) corked[i]!.uncork();
  corked.length = 0;
}

/**
 * Writes `bytes` to `socket`, holding them until the current tick's work is done (process.nextTick
 * runs after the microtasks already queued, so a whole group commit's acks and fan-out are in):
 * every frame written to a socket in one turn of the event loop leaves in one writev instead of
 * one syscall each. Under load a client gets several messages per turn; alone, a frame waits for
 * nothing but the end of the turn it was written in.
 */
export function writeBatched(socket: Writable, bytes: Buffer): void {
  if (socket.writableCorked === 0) {
    if (corked.length === 0) process.nextTick(uncorkAll);
    socket.cork();
    corked.push(socket);
  }
  socket.write(bytes);
  // Uncorking twice is harmless: the tick's final uncork finds nothing left to do.
  if (socket.writableLength >= FLUSH_AT_BYTES) socket.uncork();
}

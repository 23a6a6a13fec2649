import type { IncomingMessage } from 'node:http';
import { PROTOCOL_V1 } from '@chat/contracts';
import { selectWireProtocol } from './wire-protocol.js';

export type UpgradeDecision = { ok: true } | { ok: false; status: number; message: string };

/** Decides, before any WebSocket exists, whether an upgrade request is accepted. */
export class UpgradePolicy {
  check(request: IncomingMessage): UpgradeDecision {
    if (selectWireProtocol(request.headers['sec-websocket-protocol']) === null) {
      return {
        ok: false,
        status: 400,
        message: `unsupported subprotocol; offer "${PROTOCOL_V1}", or none for the simple protocol`,
      };
    }
    return { ok: true };
  }
}

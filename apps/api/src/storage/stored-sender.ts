import type { User } from '@chat/contracts';

/**
 * The sender of a stored message, as stored with it. `bot` appears only when true, so a
 * person's user object is exactly what it was before bots existed.
 */
export function storedSender(id: string, name: string, guest: boolean, bot: boolean): User {
  return bot ? { id, name, guest, bot: true } : { id, name, guest };
}

import { describe, expect, it } from '@jest/globals';
import { RoomNameSchema } from '@chat/contracts';
import { DM_PREFIX, dmRoomName } from './dm-room-name.js';

describe('dmRoomName', () => {
  it('should name the pair the same from either side, as a valid room name of 32 characters', () => {
    const name = dmRoomName('user:alice', 'user:bob');
    expect(dmRoomName('user:bob', 'user:alice')).toBe(name);
    expect(name.startsWith(DM_PREFIX)).toBe(true);
    expect(name).toHaveLength(32);
    expect(RoomNameSchema.safeParse(name).success).toBe(true);
  });

  it('should give different pairs different rooms', () => {
    expect(dmRoomName('user:a', 'user:b')).not.toBe(dmRoomName('user:a', 'user:c'));
  });
});

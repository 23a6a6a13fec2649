import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@chat/contracts';
import type { MessageStore } from '../message-store.js';
import type { RoomStore } from '../room-store.js';
import type { StoredAttachment, UploadStore, UploadTaker } from '../upload-store.js';

const alice: User = { id: 'u-alice', name: 'alice', guest: false };
const bob: User = { id: 'u-bob', name: 'bob', guest: false };

/** Long before any test runs: every upload here is old enough for the sweeper. */
const UPLOADED_AT = '2026-01-01T00:00:00.000Z';
const HOUR = 3600 * 1000;
/** The sweeper's `before` for UPLOAD_ORPHAN_HOURS = 1: a take of this test run is newer. */
const anHourAgo = () => new Date(Date.now() - HOUR).toISOString();
const inAnHour = () => new Date(Date.now() + HOUR).toISOString();

/** The stores of one fresh, empty database (general as the migrations leave it). */
export interface UploadStores {
  uploads: UploadStore;
  messages: MessageStore;
  rooms: RoomStore;
  close(): Promise<void>;
}

/**
 * The behaviour every UploadStore must have: a take binds uploads to one message key and room,
 * atomically; removal is claimed first, and a take and a removal in either order leave a
 * message with its files or a refused send, never a message whose file is gone.
 */
export function describeUploadStoreContract(name: string, open: () => Promise<UploadStores>): void {
  describe(`${name} (upload store contract)`, () => {
    let s: UploadStores;

    beforeEach(async () => {
      s = await open();
      await s.rooms.create('secret', { kind: 'private', owner: alice });
    });
    afterEach(async () => {
      await s.close();
    });

    const uploaded = async (owner: User = alice): Promise<string> => {
      const id = randomUUID();
      await s.uploads.create({
        id,
        ownerId: owner.id,
        name: `${id}.txt`,
        size: 5,
        type: 'text/plain',
        thumbnail: false,
        createdAt: UPLOADED_AT,
      });
      return id;
    };
    const by = (clientId: string, room = 'general', owner: User = alice): UploadTaker => ({
      ownerId: owner.id,
      clientId,
      room,
    });
    const ids = (taken: StoredAttachment[] | null) => taken?.map((file) => file.id) ?? null;
    const post = (taker: UploadTaker, attachments?: StoredAttachment[]) =>
      s.messages.append({
        room: taker.room,
        user: taker.ownerId === bob.id ? bob : alice,
        text: 'with files',
        clientId: taker.clientId,
        ...(attachments && { attachments }),
      });
    const shown = async (clientId: string) =>
      (await s.messages.findByClientId(alice.id, clientId))?.attachments?.map((file) => file.id) ?? [];
    const staleIds = async (before: string) => (await s.uploads.stale(before, 100)).map((u) => u.id);

    describe('take', () => {
      it('should take for one send, again for its replay, and for no other send', async () => {
        const [a, b] = [await uploaded(), await uploaded()];
        expect(ids(await s.uploads.take(by('c1'), [b, a]))).toEqual([b, a]);
        expect(ids(await s.uploads.take(by('c1'), [b, a]))).toEqual([b, a]);
        expect(await s.uploads.take(by('c2'), [a])).toBeNull();
        expect(await s.uploads.take(by('c1', 'general', bob), [a])).toBeNull();
        expect(await s.uploads.take(by('c3'), [randomUUID()])).toBeNull();
        expect((await s.uploads.find(a))?.room).toBe('general');
      });

      it('should refuse the same clientId in another room, and a second set of files for one clientId', async () => {
        const [a, b, c] = [await uploaded(), await uploaded(), await uploaded()];
        expect(ids(await s.uploads.take(by('c1', 'secret'), [a]))).toEqual([a]);
        // The same files for another room: they would show there.
        expect(await s.uploads.take(by('c1', 'general'), [a])).toBeNull();
        // Other files under the same clientId, in any room: not the send that took `a`.
        expect(await s.uploads.take(by('c1', 'general'), [b])).toBeNull();
        expect(await s.uploads.take(by('c1', 'secret'), [a, b])).toBeNull();
        // All or none: `b` was not kept by the refused take.
        expect(ids(await s.uploads.take(by('c2'), [b, c]))).toEqual([b, c]);
        expect((await s.uploads.find(a))?.clientId).toBe('c1');
      });

      it('should let two takes of one clientId in two rooms, at once, bind one set of files to one room', async () => {
        const [a, b] = [await uploaded(), await uploaded()];
        const results = await Promise.all([
          s.uploads.take(by('c1', 'general'), [a]),
          s.uploads.take(by('c1', 'secret'), [b]),
        ]);
        expect(results.filter((taken) => taken !== null)).toHaveLength(1);
        const [a1, b1] = [await s.uploads.find(a), await s.uploads.find(b)];
        expect([a1?.clientId, b1?.clientId].filter(Boolean)).toEqual(['c1']);
      });
    });

    describe('readers', () => {
      it("should show a message only the files taken for its room, and give another room's back", async () => {
        const [a, mine] = [await uploaded(), await uploaded()];
        // A send to the private room takes `a`; a send to general with the same clientId, and no
        // files, is stored first: `a` must not show on it, nor be readable through it.
        await s.uploads.take(by('c1', 'secret'), [a]);
        await post(by('c1', 'general'));
        expect(await shown('c1')).toEqual([]);
        expect((await s.uploads.find(a))?.message).toBeUndefined();
        expect(await s.uploads.ofMessage(by('c1', 'general'))).toEqual([]);
        await s.uploads.release(by('c1', 'secret'));
        expect(await s.uploads.find(a)).toMatchObject({ clientId: null, room: null });
        const taken = await s.uploads.take(by('c2', 'secret'), [a, mine]);
        await post(by('c2', 'secret'), taken!);
        expect(await shown('c2')).toEqual([a, mine]);
        expect((await s.uploads.find(a))?.message).toMatchObject({ room: 'secret', deleted: false });
        expect((await s.uploads.ofMessage(by('c2', 'secret'))).map((u) => u.id)).toEqual([a, mine]);
      });
    });

    describe('removal', () => {
      it('should find as stale the untaken, the taken long ago and never stored, and those of deleted messages', async () => {
        const [free, kept, inFlight, gone] = [
          await uploaded(),
          await uploaded(),
          await uploaded(),
          await uploaded(),
        ];
        await post(by('kept'), (await s.uploads.take(by('kept'), [kept]))!);
        await s.uploads.take(by('in-flight'), [inFlight]);
        const doomed = await post(by('gone'), (await s.uploads.take(by('gone'), [gone]))!);
        await s.messages.appendChange({
          type: 'delete',
          room: 'general',
          user: alice,
          clientId: 'del-gone',
          id: doomed.message.id,
        });
        // The in-flight send took its file within the hour: its message may be on its way.
        expect((await staleIds(anHourAgo())).sort()).toEqual([free, gone].sort());
        expect((await staleIds(inAnHour())).sort()).toEqual([free, inFlight, gone].sort());
        expect(await s.uploads.markRemoving(inFlight, anHourAgo())).toBe(false);
        expect(await s.uploads.markRemoving(kept, inAnHour())).toBe(false);
      });

      it('should keep an upload a send took after the sweeper found it stale (the send wins)', async () => {
        const file = await uploaded();
        const before = anHourAgo();
        expect(await staleIds(before)).toEqual([file]);
        // The racing order: the send takes between the sweeper's list and its removal.
        const taken = await s.uploads.take(by('c1'), [file]);
        expect(await s.uploads.markRemoving(file, before)).toBe(false);
        await s.uploads.remove(file);
        await post(by('c1'), taken!);
        expect(await shown('c1')).toEqual([file]);
        expect(await s.uploads.find(file)).toMatchObject({ clientId: 'c1', message: { room: 'general' } });
        expect(await staleIds(before)).toEqual([]);
      });

      it('should refuse a take of an upload being removed (the sweeper wins), and retry a removal cut short', async () => {
        const file = await uploaded();
        const before = anHourAgo();
        expect(await staleIds(before)).toEqual([file]);
        expect(await s.uploads.markRemoving(file, before)).toBe(true);
        // The racing order: the send comes while the bytes are being deleted.
        expect(await s.uploads.take(by('c1'), [file])).toBeNull();
        expect(await s.uploads.take(by('c1'), [await uploaded()])).not.toBeNull();
        // The bytes' deletion failed (say): the next sweep finds the marked row again, however new.
        expect(await staleIds(UPLOADED_AT)).toEqual([file]);
        expect(await s.uploads.markRemoving(file, UPLOADED_AT)).toBe(true);
        await s.uploads.remove(file);
        expect(await s.uploads.find(file)).toBeUndefined();
      });

      it('should remove only a row that was marked, and not give a marked row back on release', async () => {
        const file = await uploaded();
        await s.uploads.remove(file);
        expect(await s.uploads.find(file)).toBeDefined();
        expect(await s.uploads.markRemoving(file, UPLOADED_AT)).toBe(false);
        const taken = await uploaded();
        await s.uploads.take(by('c1'), [taken]);
        // Taken by a send never stored, as a later sweep sees it.
        expect(await s.uploads.markRemoving(taken, inAnHour())).toBe(true);
        await s.uploads.release(by('c1'));
        expect(await s.uploads.take(by('c2'), [taken])).toBeNull();
        await s.uploads.remove(taken);
        expect(await s.uploads.find(taken)).toBeUndefined();
      });
    });
  });
}

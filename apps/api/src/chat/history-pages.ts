import { Inject, Injectable } from '@nestjs/common';
import type { HistoryRequest } from '@chat/contracts';
import { AppConfigService } from '../config/app-config.service.js';
import { frameBudgetConfig, pageBudgetBytes } from '../config/frame-budget.js';
import { MembershipPermissions } from '../core/membership/membership-permissions.js';
import { readHistoryWindow } from '../storage/history-window.js';
import {
  MESSAGE_STORE,
  type MessagePage,
  type MessageStore,
  type PageQuery,
} from '../storage/message-store.js';
import type { ClientConnection } from '../ws/client-connection.js';
import { readJoinPage, type JoinPage } from './join-page.js';
import { LatestPages } from './latest-pages.js';
import { RoomRegistry } from './room-registry.js';

/** How often a page is read again when this connection was sent newer entries during the read. */
const PAGE_REREADS = 3;

/** The pages of a room's log a connection reads: the one `joined` carries, and `history`'s. */
@Injectable()
export class HistoryPages {
  /** Bytes of messages in one `joined` or `history` page. */
  private readonly pageBytes: number;
  /** The latest page of rooms being joined, read once while their log does not change. */
  private readonly latestPages: LatestPages;

  constructor(
    @Inject(MESSAGE_STORE) private readonly store: MessageStore,
    private readonly registry: RoomRegistry,
    private readonly permissions: MembershipPermissions,
    config: AppConfigService,
  ) {
    this.pageBytes = pageBudgetBytes(frameBudgetConfig(config));
    this.latestPages = new LatestPages(store);
  }

  /** What `joined` carries for `viewer`: the latest page, or (with `since`) what was missed. */
  joinPage(room: string, since: number | undefined, viewer: string): Promise<JoinPage> {
    return readJoinPage(this.store, room, since, viewer, this.pageBytes, this.latestPages);
  }

  /**
   * A page in its latest state for this reader. A page must reflect every entry this connection
   * was already sent (a client replaces what it holds with it): when newer entries of the room
   * went out to it during the read, it is read again (a few times at most).
   */
  async history(client: ClientConnection, request: HistoryRequest): Promise<void> {
    const { room, threadId } = request;
    await this.permissions.readable(room, client.user);
    const readPage = async (query: PageQuery): Promise<MessagePage> => {
      let page = await this.store.readPage(room, query);
      for (
        let read = 1;
        read < PAGE_REREADS && (this.registry.cursorOf(room, client) ?? 0) > page.lastSeq;
        read++
      ) {
        page = await this.store.readPage(room, query);
      }
      return page;
    };
    const window = await readHistoryWindow(readPage, request, {
      maxBytes: this.pageBytes,
      viewer: client.user.id,
      threadId,
    });
    client.send('history', { room, ...window, ...(threadId !== undefined && { threadId }) });
  }
}

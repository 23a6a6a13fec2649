import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArrivalListener } from '../chat/useChat.js';
import { notificationFor, shouldNotify } from './notify.js';

export type NotificationSupport = NotificationPermission | 'unsupported';

export interface UseNotificationsResult {
  /** True while the "Enable notifications" offer should be on screen. */
  offer: boolean;
  permission: NotificationSupport;
  /** Asks the browser for permission: only ever from a click on the offer, never on load. */
  enable: () => Promise<void>;
  /** "Not now": the offer stays away (remembered in this browser). */
  dismiss: () => void;
}

const DISMISSED_KEY = 'chat.notifications.dismissed';

const supported = () => typeof window !== 'undefined' && 'Notification' in window;
const currentPermission = (): NotificationSupport => (supported() ? Notification.permission : 'unsupported');

function wasDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Desktop notifications for messages from others while this tab is hidden. Clicking one brings
 * the tab forward and opens its room; they are closed once the user is back.
 */
export function useNotifications(
  onArrival: (listener: ArrivalListener) => () => void,
  myId: string,
  openRoom: (room: string) => void,
): UseNotificationsResult {
  const [permission, setPermission] = useState<NotificationSupport>(currentPermission);
  const [dismissed, setDismissed] = useState(wasDismissed);
  const latest = useRef({ myId, openRoom, permission });
  useEffect(() => {
    latest.current = { myId, openRoom, permission };
  });

  useEffect(() => {
    const shown = new Set<Notification>();
    const stop = onArrival((message) => {
      const { myId, openRoom, permission } = latest.current;
      if (permission !== 'granted' || !shouldNotify(message, myId, document.hidden)) return;
      const { title, options } = notificationFor(message);
      let notification: Notification;
      try {
        notification = new Notification(title, options);
      } catch {
        return; // Some mobile browsers only allow notifications from a service worker.
      }
      shown.add(notification);
      notification.onclick = () => {
        window.focus();
        openRoom(message.room);
        notification.close();
      };
      notification.onclose = () => shown.delete(notification);
    });
    const onVisible = () => {
      if (document.hidden) return;
      for (const notification of shown) notification.close();
      shown.clear();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [onArrival]);

  const enable = useCallback(async () => {
    if (!supported()) return;
    setPermission(await Notification.requestPermission());
  }, []);
  const dismiss = useCallback(() => {
    setDismissed(true);
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Storage disabled: the offer comes back on the next visit, which is harmless.
    }
  }, []);

  return { offer: permission === 'default' && !dismissed, permission, enable, dismiss };
}

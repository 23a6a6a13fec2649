import { useCallback, useEffect, useState } from 'react';
import { UserSchema, type User } from '@chat/contracts';
import { fetchMe, logOut } from '../api/auth-api.js';

export type Session =
  { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; user: User };

export interface UseSessionResult {
  session: Session;
  signedIn: (user: User) => void;
  /** Ends the session (server cookie included); `reason` is shown on the sign-in screen. */
  signOut: (reason?: string) => Promise<void>;
}

/** The last signed-in user (not the token, which is an HttpOnly cookie), for starting offline. */
const LAST_USER_KEY = 'chat.lastUser';

function rememberedUser(): User | null {
  try {
    const parsed = UserSchema.safeParse(JSON.parse(localStorage.getItem(LAST_USER_KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function remember(user: User | null): void {
  try {
    if (user) localStorage.setItem(LAST_USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // Storage disabled: starting offline just will not work.
  }
}

/**
 * Who is signed in, from the session cookie (which the page cannot read: it asks /api/me).
 * When the server cannot be reached, the last user is assumed, so the app opens offline with its
 * pending messages; the WebSocket will tell (4401) if the session turns out to be invalid.
 */
export function useSession(): UseSessionResult {
  const [session, setSession] = useState<Session>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    fetchMe()
      .then((user) => {
        if (cancelled) return;
        remember(user);
        setSession(user ? { status: 'signed-in', user } : { status: 'signed-out' });
      })
      .catch(() => {
        if (cancelled) return;
        const user = rememberedUser();
        setSession(
          user
            ? { status: 'signed-in', user }
            : {
                status: 'signed-out',
                reason: 'The server cannot be reached right now. Try again in a moment.',
              },
        );
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signedIn = useCallback((user: User) => {
    remember(user);
    setSession({ status: 'signed-in', user });
  }, []);
  const signOut = useCallback(async (reason?: string) => {
    remember(null);
    setSession({ status: 'signed-out', reason });
    await logOut().catch(() => undefined);
  }, []);

  return { session, signedIn, signOut };
}

import { useCallback, useEffect, useState } from 'react';
import type { User } from '@chat/contracts';
import { fetchMe, logOut } from '../api/auth-api.js';

export type Session =
  { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; user: User };

export interface UseSessionResult {
  session: Session;
  signedIn: (user: User) => void;
  /** Ends the session (server cookie included); `reason` is shown on the sign-in screen. */
  signOut: (reason?: string) => Promise<void>;
}

/** Who is signed in, from the session cookie (which the page cannot read: it asks /api/me). */
export function useSession(): UseSessionResult {
  const [session, setSession] = useState<Session>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    fetchMe()
      .then(
        (user) => !cancelled && setSession(user ? { status: 'signed-in', user } : { status: 'signed-out' }),
      )
      .catch(
        () =>
          !cancelled &&
          setSession({ status: 'signed-out', reason: 'Could not reach the server. Sign in to try again.' }),
      );
    return () => {
      cancelled = true;
    };
  }, []);

  const signedIn = useCallback((user: User) => setSession({ status: 'signed-in', user }), []);
  const signOut = useCallback(async (reason?: string) => {
    setSession({ status: 'signed-out', reason });
    await logOut().catch(() => undefined);
  }, []);

  return { session, signedIn, signOut };
}

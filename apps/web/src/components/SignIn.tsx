import { useState, type FormEvent } from 'react';
import { DEFAULT_DISPLAY_NAME, type User } from '@chat/contracts';
import { logIn, register, signInAsGuest } from '../api/auth-api.js';
import { ApiError } from '../api/http.js';
import { Tabs, tabId } from './Tabs.js';

type Mode = 'guest' | 'login' | 'register';

const TITLES: Record<Mode, string> = {
  guest: 'Join as a guest',
  login: 'Log in',
  register: 'Create an account',
};
const MODES = (Object.keys(TITLES) as Mode[]).map((id) => ({ id, title: TITLES[id] }));

/** Guest with a name, or an account (log in / register). */
export function SignIn({ onSignedIn, reason }: { onSignedIn: (user: User) => void; reason?: string }) {
  const [mode, setMode] = useState<Mode>('guest');
  const [name, setName] = useState(DEFAULT_DISPLAY_NAME);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The first field takes focus on arrival only: after a tab change focus stays on the tabs.
  const [focusField, setFocusField] = useState(true);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user =
        mode === 'guest'
          ? await signInAsGuest(name.trim() || DEFAULT_DISPLAY_NAME)
          : mode === 'login'
            ? await logIn(username, password)
            : await register(username, password);
      onSignedIn(user);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Something went wrong. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1 className="brand">Chat</h1>
      <p className="sign-in__lead">
        Rooms and real-time conversation. Pick a name to start, or use an account.
      </p>
      {reason && (
        <p className="notice" role="alert">
          {reason}
        </p>
      )}
      <Tabs
        label="How to sign in"
        tabs={MODES}
        selected={mode}
        panelId="sign-in-panel"
        onSelect={(m) => {
          setMode(m);
          setError(null);
          setFocusField(false);
        }}
      />
      <div id="sign-in-panel" role="tabpanel" aria-labelledby={tabId(mode)}>
        <form className="sign-in__form" onSubmit={submit} aria-label={TITLES[mode]}>
          {mode === 'guest' ? (
            <>
              <label htmlFor="guest-name">Your name</label>
              <input
                id="guest-name"
                value={name}
                maxLength={32}
                autoComplete="nickname"
                onChange={(e) => setName(e.target.value)}
                autoFocus={focusField}
              />
              <p className="hint">
                Guests can chat in existing rooms. Their names are not reserved and are marked “guest”.
              </p>
            </>
          ) : (
            <>
              <label htmlFor="username">Username</label>
              <input
                id="username"
                value={username}
                autoComplete="username"
                onChange={(e) => setUsername(e.target.value)}
                autoFocus={focusField}
                required
              />
              <label htmlFor="password">Password</label>
              <input
                id="password"
                type="password"
                value={password}
                autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
              {mode === 'register' && (
                <p className="hint">3–32 letters, digits, “_”, “.” or “-”; a password of 8+ characters.</p>
              )}
            </>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Please wait…' : TITLES[mode]}
          </button>
        </form>
      </div>
    </main>
  );
}

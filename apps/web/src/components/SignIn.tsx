import { useState, type FormEvent } from 'react';
import { DEFAULT_DISPLAY_NAME, type User } from '@chat/contracts';
import { logIn, register, signInAsGuest } from '../api/auth-api.js';
import { ApiError } from '../api/http.js';

type Mode = 'guest' | 'login' | 'register';

const TITLES: Record<Mode, string> = {
  guest: 'Join as a guest',
  login: 'Log in',
  register: 'Create an account',
};

/** Guest with a name, or an account (log in / register). */
export function SignIn({ onSignedIn, reason }: { onSignedIn: (user: User) => void; reason?: string }) {
  const [mode, setMode] = useState<Mode>('guest');
  const [name, setName] = useState(DEFAULT_DISPLAY_NAME);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      <h1>Chat</h1>
      {reason && (
        <p className="notice" role="alert">
          {reason}
        </p>
      )}
      <div className="sign-in__modes" role="tablist" aria-label="How to sign in">
        {(Object.keys(TITLES) as Mode[]).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'tab tab--active' : 'tab'}
            onClick={() => {
              setMode(m);
              setError(null);
            }}
          >
            {TITLES[m]}
          </button>
        ))}
      </div>
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
              autoFocus
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
              autoFocus
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
    </main>
  );
}

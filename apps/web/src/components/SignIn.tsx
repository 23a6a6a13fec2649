import { useState, type FormEvent } from 'react';
import { DEFAULT_DISPLAY_NAME, type User } from '@chat/contracts';
import { logIn, register, signInAsGuest } from '../api/auth-api.js';
import { ApiError } from '../api/http.js';
import { fromServer, hasErrors, validate, type Field, type FieldErrors } from './sign-in/field-errors.js';
import { Tabs, tabId } from './Tabs.js';

type Mode = 'guest' | 'login' | 'register';

const TITLES: Record<Mode, string> = {
  guest: 'Join as a guest',
  login: 'Log in',
  register: 'Create an account',
};
const MODES = (Object.keys(TITLES) as Mode[]).map((id) => ({ id, title: TITLES[id] }));
const FIELD_IDS: Record<Field, string> = { name: 'guest-name', username: 'username', password: 'password' };

/** Focus goes to the first field to fix; its message is read with it (aria-describedby). */
function focusFirst(errors: FieldErrors): void {
  const first = (['name', 'username', 'password'] as Field[]).find((field) => errors[field]);
  if (first) document.getElementById(FIELD_IDS[first])?.focus();
}

/** A field's validity and what describes it: its hint, and its error when it has one. */
function describe(errors: FieldErrors, field: Field, hint?: string) {
  const error = errors[field];
  const ids = [hint, error && `${FIELD_IDS[field]}-error`].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined };
}

function Problem({ errors, field }: { errors: FieldErrors; field: Field }) {
  const error = errors[field];
  if (!error) return null;
  return (
    <p id={`${FIELD_IDS[field]}-error`} className="field-error field-error--inline">
      {error}
    </p>
  );
}

/** Guest with a name, or an account (log in / register). */
export function SignIn({ onSignedIn, reason }: { onSignedIn: (user: User) => void; reason?: string }) {
  const [mode, setMode] = useState<Mode>('guest');
  const [name, setName] = useState(DEFAULT_DISPLAY_NAME);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  // The first field takes focus on arrival only: after a tab change focus stays on the tabs.
  const [focusField, setFocusField] = useState(true);

  const values = { name, username, password };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const found = validate(mode, values);
    setFieldErrors(found);
    if (hasErrors(found)) {
      focusFirst(found);
      return;
    }
    setBusy(true);
    try {
      const user =
        mode === 'guest'
          ? await signInAsGuest(name.trim() || DEFAULT_DISPLAY_NAME)
          : mode === 'login'
            ? await logIn(username, password)
            : await register(username, password);
      onSignedIn(user);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status !== 0 && caught.status < 500) {
        const { fields, form } = fromServer(caught.body.code, caught.message);
        setFieldErrors(fields);
        setError(form ?? null);
        focusFirst(fields);
      } else {
        setError('The server cannot be reached right now. Check your connection and try again.');
      }
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
          setFieldErrors({});
          setFocusField(false);
        }}
      />
      <div id="sign-in-panel" role="tabpanel" aria-labelledby={tabId(mode)}>
        <form className="sign-in__form" onSubmit={(e) => void submit(e)} aria-label={TITLES[mode]} noValidate>
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
                {...describe(fieldErrors, 'name', 'guest-hint')}
              />
              <Problem errors={fieldErrors} field="name" />
              <p className="hint" id="guest-hint">
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
                {...describe(fieldErrors, 'username', mode === 'register' ? 'username-hint' : undefined)}
              />
              {mode === 'register' && (
                <p className="hint" id="username-hint">
                  3–32 letters, digits, “_”, “.” or “-”.
                </p>
              )}
              <Problem errors={fieldErrors} field="username" />
              <label htmlFor="password">Password</label>
              <input
                id="password"
                type="password"
                value={password}
                autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
                onChange={(e) => setPassword(e.target.value)}
                {...describe(fieldErrors, 'password', mode === 'register' ? 'password-hint' : undefined)}
              />
              {mode === 'register' && (
                <p className="hint" id="password-hint">
                  At least 8 characters, not a common password.
                </p>
              )}
              <Problem errors={fieldErrors} field="password" />
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

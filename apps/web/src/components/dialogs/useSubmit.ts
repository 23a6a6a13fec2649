import { useState } from 'react';
import { ApiError } from '../../api/http.js';

/** A form's call to the server: busy while it runs, the server's message when it fails. */
export function useSubmit(): {
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  run: (call: () => Promise<void>) => Promise<boolean>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      return true;
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Something went wrong: try again.');
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

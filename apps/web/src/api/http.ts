import { HttpErrorSchema, type HttpError } from '@chat/contracts';
import type { z } from 'zod';

/** An HTTP call that failed, with the server's `{code, message}` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: HttpError,
  ) {
    super(body.message);
  }
}

/**
 * Calls our HTTP API (same origin, so the session cookie goes along) and validates the answer
 * against its contract schema.
 */
export async function callApi<S extends z.ZodType>(
  schema: S | null,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, { code: 'unavailable', message: 'cannot reach the server: check your connection' });
  }
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const parsed = HttpErrorSchema.safeParse(json);
    throw new ApiError(
      response.status,
      parsed.success ? parsed.data : { code: 'internal', message: `the server answered ${response.status}` },
    );
  }
  return (schema ? schema.parse(json) : undefined) as z.output<S>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

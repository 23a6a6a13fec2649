import { HttpErrorSchema, UploadResponseSchema, type UploadResponse } from '@chat/contracts';
import { ApiError } from './http.js';

export interface UploadOptions {
  /** Called as the bytes go out: sent and total bytes (the body, multipart included). */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting it cancels the upload (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

/**
 * POST /api/uploads with one file. XMLHttpRequest rather than fetch: only it reports upload
 * progress. Same origin, so the session cookie (and the browser's Origin) go along.
 */
export function uploadFile(file: File, options: UploadOptions = {}): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total || file.size);
    xhr.onload = () => {
      const json = safeJson(xhr.responseText);
      if (xhr.status === 201) {
        const parsed = UploadResponseSchema.safeParse(json);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError(xhr.status, { code: 'internal', message: 'the server answered nonsense' }));
        return;
      }
      const error = HttpErrorSchema.safeParse(json);
      reject(
        new ApiError(
          xhr.status,
          error.success ? error.data : { code: 'internal', message: `the server answered ${xhr.status}` },
        ),
      );
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, { code: 'unavailable', message: 'cannot reach the server: check your connection' }),
      );
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    if (options.signal?.aborted) {
      reject(new DOMException('upload cancelled', 'AbortError'));
      return;
    }
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

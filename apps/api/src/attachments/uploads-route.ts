/**
 * The upload route, below the host's global prefix if it set one. The CSRF check, which runs
 * before routing, finds uploads by it (the one body that may be multipart).
 */
export const UPLOADS_ROUTE = 'api/uploads';

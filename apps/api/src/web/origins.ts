import { Logger } from '@nestjs/common';
import { OriginAllowList } from '../common/net/origin-allow-list.js';
import type { AppConfig } from '../config/app-config.schema.js';

/**
 * ALLOWED_ORIGINS, the server's own loopback origins, and the Vite dev server only in
 * development: in production it would be one more origin that any local process can serve.
 * One list for WebSocket upgrades and the HTTP CSRF check.
 */
export function originAllowList(config: AppConfig): OriginAllowList {
  const tls = Boolean(config.TLS_CERT && config.TLS_KEY);
  const dev = config.NODE_ENV === 'development' ? [config.DEV_SERVER_ORIGIN] : [];
  if (config.NODE_ENV === 'production' && config.ALLOWED_ORIGINS.length === 0) {
    new Logger('Chat').warn(
      'ALLOWED_ORIGINS is empty: browsers can use the chat only from http://localhost; set it to your public origin, such as https://chat.example.com',
    );
  }
  return new OriginAllowList([...config.ALLOWED_ORIGINS, ...dev], tls ? 'https' : 'http');
}

import { startHostApp } from './host-app.js';

const port = Number(process.env.PORT ?? 4000);
await startHostApp({
  port,
  dataDir: process.env.DATA_DIR ?? './data-host-app',
  // What `npm run chat -- webhook add --url http://127.0.0.1:<port>/hooks/chat` printed.
  webhookSecret: process.env.CHAT_WEBHOOK_SECRET,
});
console.warn(`host app on http://127.0.0.1:${port} (chat WebSocket: ws://127.0.0.1:${port}/ws)`);

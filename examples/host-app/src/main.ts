import { startHostApp } from './host-app.js';

const port = Number(process.env.PORT ?? 4000);
await startHostApp({ port, dataDir: process.env.DATA_DIR ?? './data-host-app' });
console.warn(`host app on http://127.0.0.1:${port} (chat WebSocket: ws://127.0.0.1:${port}/ws)`);

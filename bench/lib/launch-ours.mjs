/**
 * Starts our server as apps/api/dist/main.js does, with WebSocket options that are not part of
 * its configuration, for the option comparisons (bench/lib/targets.mjs). BENCH_WS_DEFLATE:
 * `default` enables permessage-deflate with ws's defaults (frames under 1 KiB are sent as they
 * are); `all` compresses every frame (threshold 0).
 */
import 'reflect-metadata';
import { createApp } from '../../apps/api/dist/app.factory.js';
import { loadConfig } from '../../apps/api/dist/config/load-config.js';

const DEFLATE = { default: true, all: { threshold: 0 } };

const deflate = DEFLATE[process.env.BENCH_WS_DEFLATE ?? ''];
if (deflate === undefined) {
  console.error(`BENCH_WS_DEFLATE must be one of ${Object.keys(DEFLATE).join(', ')}`);
  process.exit(2);
}
const config = loadConfig(process.env);
const app = await createApp(config, { perMessageDeflate: deflate });
app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
await app.listen(config.PORT, config.HOST);

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createLogger, defineConfig } from 'vite';

/** Where `npm run dev` runs the api (see scripts/dev.mjs). */
const apiTarget = process.env.API_URL ?? 'http://localhost:3000';

/**
 * Vite prints a stack trace for every proxied request that fails while the api restarts (`node
 * --watch` after each build): one calm line instead, at most every few seconds. The app
 * reconnects by itself once the api is back.
 */
function quietProxyLogger() {
  const logger = createLogger();
  const error = logger.error.bind(logger);
  let lastNote = 0;
  logger.error = (message, options) => {
    if (!/proxy (socket )?error/.test(message)) return error(message, options);
    if (Date.now() - lastNote < 5000) return;
    lastNote = Date.now();
    logger.warn(
      `the api at ${apiTarget} is not answering (restarting?); the app reconnects when it is back`,
      {
        timestamp: true,
      },
    );
  };
  return logger;
}

export default defineConfig({
  plugins: [react()],
  customLogger: quietProxyLogger(),
  resolve: {
    // The contracts' sources, so the dev server picks up protocol changes without a build.
    alias: {
      '@chat/contracts': fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url)),
      '@chat/client/react': fileURLToPath(new URL('../../libs/client/src/react/index.ts', import.meta.url)),
      '@chat/client': fileURLToPath(new URL('../../libs/client/src/index.ts', import.meta.url)),
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
  // No source maps in production: they would publish the original sources to anyone (issue 12).
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // React, then the other libraries (the Markdown renderer is most of them), in chunks of
        // their own: each stays under Vite's 500 kB warning (one chunk was 606 kB), and they stay
        // cached across our releases, which change the app more often than its libraries.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'libraries', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});

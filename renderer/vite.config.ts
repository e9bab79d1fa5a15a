// Vite config for the renderer (the UI that runs in Electron and in a browser tab).
// Built by `node scripts/build.mjs renderer`; the service serves dist/renderer under a strict CSP
// (script-src 'self'), so nothing here may inline scripts or pull from a CDN.
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = import.meta.dirname;
// `vite --config renderer/vite.config.ts` for UI work: API and socket calls go to a running service.
const serviceUrl = process.env.WEKEZA_SERVICE_URL ?? 'http://127.0.0.1:4780';

export default defineConfig({
  root: here,
  base: '/',
  publicDir: path.join(here, 'public'),
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Heavy libraries get their own chunks so the sign-in screen loads quickly and
        // an update to our code does not invalidate the cached vendor chunks. Groups pull in
        // their dependencies, so the core every screen needs (React, MUI, emotion) is claimed
        // first by `vendor`; otherwise it would end up inside the data-grid chunk.
        codeSplitting: {
          groups: [
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@mui[\\/](material|system|utils|styled-engine|private-theming|types)|@emotion|@babel[\\/]runtime|stylis|clsx|prop-types|react-is|react-transition-group|@popperjs|hoist-non-react-statics|cookie|set-cookie-parser)[\\/]/,
              priority: 40,
            },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'data-grid', test: /node_modules[\\/]@mui[\\/]x-[a-z-]+[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': serviceUrl,
      '/health': serviceUrl,
      '/socket.io': { target: serviceUrl, ws: true },
    },
  },
});

import { defineConfig } from 'vitest/config';

// The server serves this build from its classpath at /darklaunch-admin-ui (see ARCHITECTURE.md).
// Proxy /api to a running server during `npm run dev`. `npm test` runs the unit tests (Vitest,
// in Node: they cover the pure modules, the browser tests in the server module cover the pages).
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/darklaunch-admin-ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    // the CSP forbids inline script: keep everything in hashed files under /assets
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});

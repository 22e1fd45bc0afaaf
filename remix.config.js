// Remix's own options; vite.config.ts imports them so they live in one place.
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  appDirectory: "app",
  // TABLERO_BUILD_DIR lets two builds (e.g. two people testing) run side by side.
  buildDirectory: process.env.TABLERO_BUILD_DIR ?? "build",
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};

// `npm start`: create and seed the database if needed, build the app if needed, then serve it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { setup } from "./setup";

const SOURCES = ["app", "locales", "db", "public", "remix.config.js", "vite.config.ts", "package-lock.json"];
const SERVER_BUILD = "build/server/index.js";

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

function needsBuild(): boolean {
  if (!existsSync(SERVER_BUILD)) return true;
  return Math.max(...SOURCES.map(newestMtime)) > statSync(SERVER_BUILD).mtimeMs;
}

await setup();
if (needsBuild()) {
  console.log("Building the app …");
  const r = spawnSync("node_modules/.bin/remix", ["vite:build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const port = process.env.PORT ?? "3000";
const host = process.env.HOST || "127.0.0.1";
console.log(`Tablero: http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
// Our own server (scripts/serve.ts: limits, origin check, CSP, logs, graceful shutdown; one worker per
// core unless TABLERO_WORKERS says otherwise, see serve-main.ts), through tsx
// directly (not npx) so a stop signal reaches the process that holds the port. The thread pool is sized
// here because it must be set before the process starts (see serve.ts).
const server = spawn("node_modules/.bin/tsx", ["scripts/serve.ts"], {
  stdio: "inherit",
  env: { ...process.env, PORT: port, HOST: host, NODE_ENV: "production", UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? "16" },
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

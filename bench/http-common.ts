// What bench:http (SQLite) and bench:http:pg (PostgreSQL) share: the production server on a free
// port, a signed-in session, the six pages the issue names, warming up and one autocannon run.
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg } from "node:os";

export type Target = { name: string; path: string; cookie?: string };
export type Row = { name: string; connections: number; rps: number; p50: number; p99: number; errors: number; non2xx: number };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
    srv.on("error", reject);
  });
}

export const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** The production build, made first when missing. */
export function ensureBuilt(): void {
  if (existsSync("build/server/index.js")) return;
  console.log("Building the app …");
  const r = spawnSync("node_modules/.bin/remix", ["vite:build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The production server on a free port with `workers` processes (TABLERO_WORKERS), up and answering within `startSeconds`. */
export async function startServer(env: NodeJS.ProcessEnv, workers: number, startSeconds = 30) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", UV_THREADPOOL_SIZE: "16", TABLERO_WORKERS: String(workers) },
    stdio: "inherit",
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > startSeconds * 5) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  };
  return { url, stop };
}

/** A demo relative's session cookie (the signed-in home feed). */
export async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
    body: new URLSearchParams({ email: "ana@tablero.example", password: "tablero-demo" }),
  });
  const session = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith("tablero_session="))?.split(";")[0];
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session;
}

/** The pages the issue measures. */
export const targetsFor = (session: string, board: number, card: number): Target[] => [
  { name: "home (visitor)", path: "/" },
  { name: "home (signed in)", path: "/", cookie: session },
  { name: "board page", path: `/boards/${board}` },
  { name: "card page", path: `/cards/${card}` },
  { name: "search page", path: "/search?q=food" },
  { name: "api search (repeated)", path: "/api/search?q=comida" },
];

const headersOf = (t: Target): Record<string, string> => (t.cookie ? { cookie: t.cookie } : {});

/**
 * Each page `times` times first: a worker loads the Pixie graph, the vector indexes and the ranker
 * and fills its page caches on first use; the runs measure the steady state, not that start.
 */
export async function warmUp(url: string, targets: Target[], times: number): Promise<void> {
  for (const t of targets) for (let i = 0; i < times; i++) await (await fetch(`${url}${t.path}`, { headers: headersOf(t) })).arrayBuffer();
}

/** One autocannon run of `duration` seconds at `connections`. */
export async function measure(url: string, t: Target, connections: number, duration: number): Promise<Row> {
  const r = await autocannon({ url: `${url}${t.path}`, connections, duration, headers: headersOf(t) });
  return { name: t.name, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

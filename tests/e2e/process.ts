import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The built server as a process a test may kill -9 and start again on the same data folder (issue 12,
 * finding 13). The same command as harness.ts's startApp and `npm start`: scripts/serve.ts.
 */
export type Server = { url: string; proc: ChildProcess; output: () => string; kill9: () => Promise<void>; stop: () => Promise<void> };

export function freshDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), "tablero-e2e-"));
  const setup = spawnSync("node_modules/.bin/tsx", ["scripts/setup.ts"], {
    env: { ...process.env, TABLERO_DATA_DIR: dataDir, NODE_ENV: "production" },
    encoding: "utf8",
  });
  if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  return dataDir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  let out = "";
  // `node --import tsx` (not the tsx launcher, which runs the server in a child process): a kill -9
  // must hit the process that holds the database, not a wrapper around it.
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: {
      ...process.env,
      TABLERO_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      UV_THREADPOOL_SIZE: "16",
      ...env,
      NODE_ENV: "production",
    },
  });
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = () => new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once("exit", () => r())));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    proc,
    output: () => out,
    kill9: async () => {
      proc.kill("SIGKILL");
      await exited();
    },
    stop: async () => {
      proc.kill("SIGTERM");
      await exited();
    },
  };
}

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "./harness";

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
      TABLERO_WORKERS: "1",
      ...env,
      NODE_ENV: "production",
    },
  });
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = () => new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once("exit", () => r())));
  await waitFor(url, proc, () => out);
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

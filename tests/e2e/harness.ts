import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import sharp from "sharp";
import { inject } from "vitest";

/**
 * The built app on a free port with a fresh, seeded database, and Debian's chromium driven by
 * playwright-core. Each test file gets its own server and data folder.
 */
export type App = {
  url: string;
  dataDir: string;
  browser: Browser;
  /** The server process (scripts/serve.ts) and everything it has printed so far (pino's JSON lines). */
  server: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
};

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function freePort(): Promise<number> {
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

export async function waitFor(url: string, server: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited: ${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start: ${log()}`);
}

/**
 * `env` adds to the server's environment (e.g. TABLERO_TRUST_PROXY); `browser: false` skips chromium;
 * `dataDir` serves another server's data folder (a second configuration without seeding again);
 * `workers` is TABLERO_WORKERS (default 1: one process, as the tests before issue 13 assume).
 */
export async function startApp(
  opts: { env?: Record<string, string>; browser?: boolean; dataDir?: string; workers?: number } = {},
): Promise<App> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "tablero-e2e-"));
  // opts.env reaches setup too: it names the database (DATABASE_URL) that setup migrates and seeds.
  const env: NodeJS.ProcessEnv = { ...process.env, TABLERO_DATA_DIR: dataDir, NODE_ENV: "production", ...opts.env };
  // A new SQLite data folder starts as a copy of the run's seeded template (tests/e2e/seeded-template.ts)
  // when there is one; otherwise (PostgreSQL, or a run without the global setup) setup seeds it here.
  const template = inject("seededTemplate");
  if (!opts.dataDir && template && !env.DATABASE_URL) cpSync(template, dataDir, { recursive: true });
  else {
    const setup = spawnSync("node_modules/.bin/tsx", ["scripts/setup.ts"], { env, encoding: "utf8" });
    if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  }
  const port = await freePort();
  let output = "";
  // The production server, as `npm start` runs it (it reads TABLERO_BUILD_DIR for the build).
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: {
      ...env,
      LOG_LEVEL: "warn",
      UV_THREADPOOL_SIZE: "16",
      TABLERO_WORKERS: String(opts.workers ?? 1),
      ...opts.env,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
  });
  server.stdout?.on("data", (d) => (output += d));
  server.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url, server, () => output);
  const browser =
    opts.browser === false
      ? (null as unknown as Browser)
      : await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  return {
    url,
    dataDir,
    browser,
    server,
    output: () => output,
    stop: async () => {
      await browser?.close();
      if (server.exitCode !== null) return;
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    },
  };
}

export async function newPage(app: App, opts: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({
    baseURL: app.url,
    locale: opts.locale ?? "en-GB",
    viewport: { width: 1280, height: 900 },
  });
  // Generous: the first search on a fresh server loads the encoder, and CI runs two browser files at
  // once on two cores (a 10 s limit failed once under load). Page speed is measured in bench:http.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return { context, page };
}

/** Waits until React has hydrated, so client-side behaviour (focus moves, fetchers) is live. */
export async function hydrated(page: Page) {
  // app/root.tsx marks <html data-hydrated> from an effect, which runs once every component has
  // hydrated. (Waiting for "networkidle" instead cost 500 ms of silence per page and timed out on
  // a busy machine while a board's pictures were still loading.)
  // After a client-side navigation the mark is already there: wait for the router to be idle too,
  // then two frames, so React has committed the new page (the URL changes a moment before).
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter;
    return (
      document.readyState === "complete" &&
      document.documentElement.dataset.hydrated !== undefined &&
      (!router || router.state.navigation.state === "idle")
    );
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export type AxeViolation = { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] };

/** Runs axe-core in the page with the WCAG 2.2 AA rule set; returns violations in a readable form. */
export async function axe(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, not as an inline <script>: the page's CSP (rightly) refuses those.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }).axe
        .run(document, { runOnly: { type: "tag", values: tags } })
        .then((r) => r.violations),
    AXE_TAGS,
  )) as AxeViolation[];
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(", ")}`,
  );
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/^(Email|Correo electrónico)/).fill(email);
  await page.getByLabel(/^(Password|Contraseña)/).fill(password);
  await page.getByRole("button", { name: /^(Sign in|Entrar)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

/** The new-card form's fields with a small real PNG, as a browser would post them (/boards/:id/cards/new). */
export async function cardForm(title: string, alt: string): Promise<FormData> {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#7a9a3b" } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.set("title", title);
  form.set("alt", alt);
  form.set("cue", "");
  form.set("note", "");
  form.set("lang", "en");
  form.set("image", new Blob([new Uint8Array(png)], { type: "image/png" }), `${title}.png`);
  return form;
}

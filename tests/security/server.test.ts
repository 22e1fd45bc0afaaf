import { createServer, type Server } from "node:http";
import Database from "better-sqlite3";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hydrated, newPage, signIn, startApp, type App } from "../e2e/harness";
import { cookie, form, send, sendHuge } from "./http";

// Issue 12 against the running built server (scripts/serve.ts): findings 1, 4, 9 and 12, /healthz and
// graceful shutdown. One server for the file (seeding costs half a minute); the tests that leave lasting
// state (the sign-in flood blocks 127.0.0.1, shutdown stops the server) come last.

const DEMO_PW = "tablero-demo";
const MB = 1024 * 1024;
let app: App;

beforeAll(async () => {
  app = await startApp({ env: { LOG_LEVEL: "info" } });
});
afterAll(async () => {
  await app?.stop();
});

const signInForm = (email: string, password: string) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: form({ email, password }),
});

describe("finding 1: request bodies are limited", () => {
  it("answers a 150 MB POST /login with a fast 413, twice in parallel, while GET / still answers quickly", async () => {
    const huge = () =>
      sendHuge(`${app.url}/login`, 150 * MB, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(150 * MB) });
    const [a, b, page] = await Promise.all([huge(), huge(), new Promise((r) => setTimeout(r, 100)).then(() => send(`${app.url}/`))]);
    for (const r of [a, b]) {
      expect(r.status).toBe(413);
      expect(r.ms).toBeLessThan(2_000);
      expect(r.sentBytes).toBeLessThan(150 * MB);
      // /login sends no file: the page says the text was too long, not "choose a smaller picture".
      expect(r.body).toContain("<h1>Text too long</h1>");
      expect(r.body).toContain("up to 64 KB");
      expect(r.body).not.toMatch(/picture|still in the form/);
      expect(r.headers["content-security-policy"]).toBeTruthy();
    }
    expect(page.status).toBe(200);
    expect(page.ms).toBeLessThan(3_000);
  });

  it("cuts a chunked body (no Content-Length) as soon as it passes the limit", async () => {
    const r = await sendHuge(`${app.url}/login`, 50 * MB, {
      "Content-Type": "application/x-www-form-urlencoded",
      "Transfer-Encoding": "chunked",
    });
    expect(r.status).toBe(413);
    expect(r.sentBytes).toBeLessThan(50 * MB);
    expect((await send(`${app.url}/healthz`)).status).toBe(200);
  });

  it("says it in the visitor's language, and in JSON for the API", async () => {
    const es = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "Accept-Language": "es-ES,es;q=0.9", "Content-Length": String(70 * 1024) },
    });
    expect(es.status).toBe(413);
    expect(es.body).toContain('<html lang="es"');
    expect(es.body).toContain("Texto demasiado largo");
    expect(es.body).toContain("hasta 64 KB");
    const api = await sendHuge(`${app.url}/api/engagement`, 2 * MB, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
    expect(api.status).toBe(413);
    expect(api.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(api.body).error).toMatch(/larger than 64 KB/);
  });
});

describe("finding 1 in the browser: a form sent by Remix's client", () => {
  it("answers the data request in Remix's format, as the form's error", async () => {
    const r = await fetch(`${app.url}/login.data`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "x=" + "a".repeat(100 * 1024),
    });
    expect(r.status).toBe(413);
    const decoded = await decode(r.body!);
    // A text form's message names its limit (errorText reads "?kb=64"), and does not ask for a smaller file.
    expect(decoded.value).toMatchObject({ data: { errors: { form: "http:tooLong.form?kb=64" }, formError: "http:tooLong.form?kb=64" } });
  });

  it("says 'choose a smaller picture' only where a picture or file is sent, and 'the text is too long' on text forms", async () => {
    const session = cookie(
      (
        await send(`${app.url}/login`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
          body: form({ email: "maria@tablero.example", password: DEMO_PW }),
        })
      ).headers,
      "tablero_session",
    )!.split(";")[0]!;
    const fiveMbTitle = form({ intent: "save", title: "a".repeat(5 * MB), lang: "en", visibility: "public" });
    for (const path of ["/boards/new", "/workshops/new"]) {
      const r = await send(`${app.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url, Cookie: `${session}; tablero_lng=de` },
        body: fiveMbTitle,
      });
      expect(r.status, path).toBe(413);
      expect(r.body).toContain("<h1>Text zu lang</h1>");
      expect(r.body).toContain("bis 64 KB");
      expect(r.body).not.toMatch(/Bild|Datei/);
    }
    const picture = await send(`${app.url}/boards/1/cards/new`, {
      method: "POST",
      headers: {
        "Content-Type": "multipart/form-data; boundary=x",
        "Content-Length": String(30 * MB),
        Origin: app.url,
        Cookie: "tablero_lng=de",
      },
    });
    expect(picture.status).toBe(413);
    expect(picture.body).toContain("<h1>Zu viel auf einmal</h1>");
    expect(picture.body).toContain("kleineres Bild");
  });

  it("shows a too-long board title in the form's error summary with the limit, and keeps the title", async () => {
    const { context, page } = await newPage(app);
    try {
      await signIn(page, "maria@tablero.example", DEMO_PW);
      await page.goto("/boards/new");
      await hydrated(page);
      const title = "palabra ".repeat(10_000);
      await page.locator('input[name="title"]').fill(title);
      await page.getByRole("button", { name: "Crear tablero" }).click();
      await expect
        .poll(() => page.getByRole("alert").textContent(), { timeout: 20_000 })
        .toBe(
          "El texto es demasiado largo: este formulario acepta hasta 64 KB. No se ha guardado nada. Acorta el texto y vuelve a intentarlo.",
        );
      expect(await page.locator('input[name="title"]').inputValue()).toBe(title);
    } finally {
      await context.close();
    }
  });

  it("shows a too-large import in the form's error summary and keeps what was typed", async () => {
    const { context, page } = await newPage(app);
    try {
      await signIn(page, "maria@tablero.example", DEMO_PW);
      await page.goto("/import");
      await hydrated(page);
      const big = join(app.dataDir, "too-big.csv");
      writeFileSync(big, "title,text\n" + "word,hint\n".repeat(1_300_000));
      await page.locator("#field-file").setInputFiles(big);
      await page.locator('input[name="board"]').fill("My kept board name");
      await page.getByRole("button", { name: "Import" }).click();
      await expect
        .poll(() => page.getByRole("alert").textContent(), { timeout: 20_000 })
        .toMatch(/demasiado grande para este formulario|too large for this form/);
      expect(await page.locator('input[name="board"]').inputValue()).toBe("My kept board name");
    } finally {
      await context.close();
    }
  });
});

describe("a form body that cannot be read is the sender's fault: 400, never the 500 page", () => {
  // A multipart body cut before its closing boundary: `request.formData()` throws a TypeError on it.
  const cut = '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc';
  const multipart = { "Content-Type": "multipart/form-data; boundary=XYZ" };
  let session = "";
  beforeAll(async () => {
    const r = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
      body: form({ email: "tomas@tablero.example", password: DEMO_PW }),
    });
    session = cookie(r.headers, "tablero_session")!.split(";")[0]!;
  });

  // Signed out, the browser's language (French); signed in, the account's (Tomás reads Spanish; a
  // sign-in redirect would not be a 400, so the status shows the action ran).
  const pages = [
    { path: "/login", lang: "fr", title: "Cette demande n’a pas pu être comprise", server: "Un problème est survenu" },
    { path: "/signup", lang: "fr", title: "Cette demande n’a pas pu être comprise", server: "Un problème est survenu" },
    { path: "/boards/new", lang: "es", title: "No se pudo entender la petición", server: "Algo ha salido mal", signedIn: true },
  ];
  for (const { path, lang, title, server, signedIn } of pages) {
    it(`answers a cut multipart body on ${path} with the translated 400 page`, async () => {
      const r = await send(`${app.url}${path}`, {
        method: "POST",
        headers: { ...multipart, Origin: app.url, "Accept-Language": "fr-FR,fr;q=0.9", ...(signedIn ? { Cookie: session } : {}) },
        body: cut,
      });
      expect(r.status).toBe(400);
      expect(r.body).toContain(`<html lang="${lang}"`);
      expect(r.body).toContain(title);
      // The tab's title too (no root loader ran: the layout writes it in the page's language).
      expect(r.body).toContain(`<title>${title} — Tablero</title>`);
      expect(r.body).not.toContain(server);
    });
  }

  it("answers it on /language (a route without a page) with the server's translated 400 page", async () => {
    const r = await send(`${app.url}/language`, {
      method: "POST",
      headers: { ...multipart, Origin: app.url, Cookie: "tablero_lng=ar" },
      body: cut,
    });
    expect(r.status).toBe(400);
    expect(r.headers["content-type"]).toMatch(/text\/html/);
    expect(r.body).toContain('<html lang="ar" dir="rtl">');
    expect(r.body).toContain("<h1>تعذّرت قراءة النموذج</h1>");
    expect(r.body).not.toContain("Unexpected Server Error");
  });

  it("answers it on the API in JSON, and on a form sent by Remix's client as a 400", async () => {
    const api = await send(`${app.url}/api/engagement`, {
      method: "POST",
      headers: { ...multipart, Origin: app.url, Cookie: session },
      body: cut,
    });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body).error).toMatch(/could not be read/);
    const data = await send(`${app.url}/login.data`, { method: "POST", headers: { ...multipart, Origin: app.url }, body: cut });
    expect(data.status).toBe(400);
  });

  it("reads a urlencoded body with broken percent-escapes as text, never a 500", async () => {
    const r = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
      body: "email=%E0%A4%A&password=%zz%",
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });
});

describe("finding 4: state-changing requests must come from Tablero's own pages", () => {
  const targets = [
    { path: "/logout", body: "" },
    { path: "/language", body: form({ lng: "es", redirectTo: "/" }) },
    { path: "/api/engagement", body: form({ intent: "hide", pinId: "1", surface: "home" }) },
    { path: "/login", body: form({ email: "maria@tablero.example", password: DEMO_PW }) },
  ];
  for (const { path, body } of targets) {
    it(`refuses same-site and cross-site POST ${path} with a translated 403, and lets same-origin through`, async () => {
      const type = { "Content-Type": "application/x-www-form-urlencoded" };
      const sibling = `http://evil.${new URL(app.url).hostname}.nip.io`;
      const variants: Record<string, string>[] = [
        { "Sec-Fetch-Site": "same-site", Origin: "http://127.0.0.1:1" },
        { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
        { Origin: sibling },
        { Origin: "null" },
      ];
      for (const headers of variants) {
        const r = await send(`${app.url}${path}`, { method: "POST", headers: { ...type, ...headers, "Accept-Language": "es" }, body });
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        if (path.startsWith("/api/")) expect(JSON.parse(r.body).error).toMatch(/otro sitio/);
        else expect(r.body).toContain("<h1>Este formulario no viene de Tablero</h1>");
        expect(cookie(r.headers, "tablero_lng")).toBeUndefined();
      }
      const ok = await send(`${app.url}${path}`, {
        method: "POST",
        headers: { ...type, "Sec-Fetch-Site": "same-origin", Origin: app.url },
        body,
      });
      expect(ok.status, path).not.toBe(403);
      expect(ok.status, path).toBeLessThan(500);
    });
  }

  it("a real browser on a same-site page (another port of this host) cannot switch the language", async () => {
    const attacker: Server = createServer((_req, res) => {
      res.setHeader("Content-Type", "text/html");
      res.end(
        `<!doctype html><html lang="en"><title>x</title><form method="post" action="${app.url}/language"><input type="hidden" name="lng" value="es"><input type="hidden" name="redirectTo" value="/"><button>Go</button></form></html>`,
      );
    });
    await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
    const port = (attacker.address() as { port: number }).port;
    const { context, page } = await newPage(app);
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(`${app.url}/language`)),
        page.getByRole("button", { name: "Go" }).click(),
      ]);
      expect(response.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("This form did not come from Tablero");
      expect((await context.cookies(app.url)).find((c) => c.name === "tablero_lng")).toBeUndefined();
    } finally {
      await context.close();
      attacker.close();
    }
  });

  it("the app's own forms still work in the browser (language switch, sign in, sign out)", async () => {
    const { context, page } = await newPage(app);
    try {
      await page.goto("/");
      await hydrated(page);
      await page.getByRole("button", { name: "Español" }).click();
      await page.waitForFunction(() => document.documentElement.lang === "es");
      await page.goto("/login");
      await hydrated(page);
      await page.getByLabel(/^Correo electrónico/).fill("ana@tablero.example");
      await page.getByLabel(/^Contraseña/).fill(DEMO_PW);
      await page.getByRole("button", { name: "Entrar" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      await page.getByRole("button", { name: /^(Sign out|Salir|Cerrar sesión)$/ }).click();
      await page.waitForFunction(() => !!document.querySelector('a[href="/login"]'));
    } finally {
      await context.close();
    }
  });
});

describe("finding 12: headers", () => {
  it("every page carries a CSP with a fresh nonce that every inline script has", async () => {
    const [a, b] = [await send(`${app.url}/`), await send(`${app.url}/search?q=apple`)];
    for (const r of [a, b]) {
      const csp = String(r.headers["content-security-policy"]);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(/script-src ([^;]*)/.exec(csp)?.[1]).not.toContain("unsafe-inline");
      const scripts = [...r.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    }
    expect(a.headers["content-security-policy"]).not.toBe(b.headers["content-security-policy"]);
  });

  it("security headers are on every kind of response: API, .ics, pictures, static files, 404s, /healthz", async () => {
    const home = await send(`${app.url}/`);
    const image = /\/images\/[A-Za-z0-9._-]+/.exec(home.body)?.[0];
    expect(image).toBeTruthy();
    const asset = /\/assets\/[A-Za-z0-9._-]+\.js/.exec(home.body)?.[0];
    for (const path of [
      "/api/search?q=apple",
      "/workshops/1/calendar.ics",
      image!,
      asset!,
      "/favicon.svg",
      "/no/such/page",
      "/healthz",
      "/api/engagement",
    ]) {
      const r = await send(`${app.url}${path}`);
      expect(r.headers["x-content-type-options"], path).toBe("nosniff");
      expect(r.headers["x-frame-options"], path).toBe("DENY");
      expect(r.headers["referrer-policy"], path).toBe("same-origin");
      expect(r.headers["content-security-policy"], path).toBeTruthy();
      expect(r.headers["x-request-id"], path).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await send(`${app.url}${asset!}`)).headers["cache-control"]).toMatch(/immutable/);
  });

  it("pages run under the CSP in the browser: hydration, search, a card, a chart — no violations", async () => {
    const { context, page } = await newPage(app);
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    try {
      await page.goto("/login");
      await hydrated(page);
      await page.getByLabel(/^Email/).fill("ana@tablero.example");
      await page.getByLabel(/^Password/).fill(DEMO_PW);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      for (const path of ["/", "/search?q=apple", "/boards/1", "/practice/progress", "/settings"]) {
        await page.goto(path);
        await hydrated(page);
      }
      const card = await page.goto("/").then(() => page.locator('main a[href^="/cards/"]').first().getAttribute("href"));
      await page.goto(card!);
      await hydrated(page);
      expect(await page.evaluate(() => (window as unknown as { __remixContext?: unknown }).__remixContext !== undefined)).toBe(true);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a forged X-Forwarded-Proto is ignored: no Secure cookie, no https origin", async () => {
    const r = await send(`${app.url}/language`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "tablero.example" },
      body: form({ lng: "es", redirectTo: "/" }),
    });
    expect(r.status).toBe(302);
    expect(cookie(r.headers, "tablero_lng")).not.toMatch(/Secure/);
    const forged = await send(`${app.url}/logout`, {
      method: "POST",
      headers: { Origin: "https://tablero.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "tablero.example" },
    });
    expect(forged.status).toBe(403);
  });

  it("…and believed behind a proxy named by TABLERO_TRUST_PROXY", async () => {
    const proxied = await startApp({ dataDir: app.dataDir, browser: false, env: { TABLERO_TRUST_PROXY: "1" } });
    try {
      const r = await send(`${proxied.url}/language`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Forwarded-Proto": "https",
          "X-Forwarded-Host": "tablero.example",
          Origin: "https://tablero.example",
        },
        body: form({ lng: "es", redirectTo: "/" }),
      });
      expect(r.status).toBe(302);
      expect(cookie(r.headers, "tablero_lng")).toMatch(/Secure/);
    } finally {
      await proxied.stop();
    }
  });
});

describe("personal pages are not cached", () => {
  it("answers a signed-in person's pages with Cache-Control: private, no-store, and a visitor's without", async () => {
    const signedIn = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
      body: form({ email: "ana@tablero.example", password: DEMO_PW }),
    });
    const session = cookie(signedIn.headers, "tablero_session")!.split(";")[0]!;
    const mine = await send(`${app.url}/settings`, { headers: { Cookie: session } });
    expect(mine.status).toBe(200);
    expect(mine.headers["cache-control"]).toBe("private, no-store");
    const visitor = await send(`${app.url}/about`);
    expect(visitor.status).toBe(200);
    expect(visitor.headers["cache-control"]).toBeUndefined();
  });
});

describe("operations", () => {
  it("/healthz says the database answers; every request is logged with its id", async () => {
    const r = await send(`${app.url}/healthz`, { headers: { "X-Request-Id": "client-made-up" } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ status: "ok", db: "ok" });
    expect(r.headers["cache-control"]).toBe("no-store");
    // A client's own request id is not trusted without a proxy; ours is in the log line.
    const id = String(r.headers["x-request-id"]);
    expect(id).not.toBe("client-made-up");
    await new Promise((res) => setTimeout(res, 200));
    const line = app
      .output()
      .split("\n")
      .find((l) => l.includes(id));
    expect(JSON.parse(line!)).toMatchObject({ reqId: id, method: "GET", path: "/healthz", status: 200, msg: "request" });
  });
});

describe("finding 9: sign-in floods", () => {
  it("limits a flood of sign-ins from one address, pictures keep loading, and the owner's device still signs in", async () => {
    // María signed in on this device before: it holds her device cookie.
    const first = await send(`${app.url}/login`, signInForm("maria@tablero.example", DEMO_PW));
    expect(first.status).toBe(302);
    const device = cookie(first.headers, "tablero_device")!.split(";")[0]!;
    expect(device).toMatch(/^tablero_device=/);
    // Parallel correct sign-ins are not refused.
    const parallel = await Promise.all(
      Array.from({ length: 4 }, () => send(`${app.url}/login`, signInForm("tomas@tablero.example", DEMO_PW))),
    );
    expect(parallel.map((r) => r.status)).toEqual([302, 302, 302, 302]);

    const home = await send(`${app.url}/`);
    const image = /\/images\/[A-Za-z0-9._-]+/.exec(home.body)![0];
    let flooding = true;
    const pictureMs: number[] = [];
    const pictures = (async () => {
      while (flooding) {
        const r = await send(`${app.url}${image}`);
        expect(r.status).toBe(200);
        pictureMs.push(r.ms);
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    // Waves of guesses at random emails, as fast as they are answered, until the address is refused.
    const statuses: number[] = [];
    for (let wave = 0; wave < 6 && !statuses.includes(429); wave++) {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => send(`${app.url}/login`, signInForm(`nobody-${wave}-${i}@example.com`, "wrong password"))),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    flooding = false;
    await pictures;
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(50);
    // Refusals past the queue are a translated "busy", never an error page.
    expect(statuses.every((s) => [400, 429, 503].includes(s))).toBe(true);
    pictureMs.sort((x, y) => x - y);
    expect(pictureMs[Math.floor(pictureMs.length / 2)]).toBeLessThan(1_000);

    // From this address, the right password on a new device waits…
    const stranger = await send(`${app.url}/login`, signInForm("maria@tablero.example", DEMO_PW));
    expect(stranger.status).toBe(429);
    expect(stranger.body).toContain("Too many attempts from here");
    // …but María's own device gets in.
    const owner = await send(`${app.url}/login`, {
      ...signInForm("maria@tablero.example", DEMO_PW),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: device },
    });
    expect(owner.status).toBe(302);
    expect(cookie(owner.headers, "tablero_session")).toBeTruthy();
  });
});

describe("graceful shutdown", () => {
  it("finishes the request in flight, writes queued engagement events, and exits cleanly", async () => {
    const home = await send(`${app.url}/`);
    const pinIds = [...new Set([...home.body.matchAll(/\/cards\/(\d+)/g)].map((m) => Number(m[1])))].slice(0, 5);
    expect(pinIds.length).toBeGreaterThan(0);
    const events = await send(`${app.url}/api/engagement`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ events: pinIds.map((pinId, position) => ({ pinId, action: "impression", surface: "home", position })) }),
    });
    expect(events.status).toBe(200);
    const accepted = JSON.parse(events.body).accepted as number;
    expect(accepted).toBe(pinIds.length);
    // A sign-in takes a while (scrypt): it is in flight when the signal comes.
    const inFlight = send(`${app.url}/login`, signInForm("ana@tablero.example", "not her password"));
    await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<number | null>((r) => app.server.once("exit", (code) => r(code)));
    app.server.kill("SIGTERM");
    const answer = await inFlight;
    expect([400, 429]).toContain(answer.status);
    expect(await exited).toBe(0);
    await expect(send(`${app.url}/healthz`)).rejects.toThrow();
    expect(app.output()).toMatch(/"msg":"stopped"/);
    const db = new Database(join(app.dataDir, "tablero.db"), { readonly: true });
    const n = (
      db
        .prepare("SELECT count(*) AS n FROM engagement WHERE action = 'impression' AND pin_id IN (SELECT value FROM json_each(?))")
        .get(JSON.stringify(pinIds)) as { n: number }
    ).n;
    db.close();
    expect(n).toBeGreaterThanOrEqual(accepted);
  });
});

import { PassThrough, Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
// Start-up work: retention pruning and resuming interrupted imports (issue 12).
import "~/services/startup.server";
import { NonceProvider } from "~/lib/nonce";
import { FallbackLocaleProvider } from "~/lib/root-data";
import { cachedPage, keepPage, renderKey } from "~/services/render-cache.server";
import { errorPageLocale } from "~/services/request.server";

const ABORT_DELAY = 5_000;

// Security headers (a CSP carrying this request's nonce, no sniffing, no framing, the referrer policy)
// are set by the HTTP server on every response: app/services/http/security-headers.ts.

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Under `remix vite:dev` there is no production server, hence no nonce and no CSP.
  const nonce = loadContext?.nonce ?? "";
  // The same page from the same data was rendered before: send it again with this response's nonce
  // and served-list ids, without rendering (services/render-cache.server.ts says why this is safe).
  const key = renderKey(request, responseStatusCode, remixContext, nonce);
  if (key) {
    const html = cachedPage(key, nonce);
    if (html !== null) {
      // The loader data's stream is read only by a render; let it go instead of waiting for its timeout.
      remixContext.serverHandoffStream?.cancel().catch(() => {});
      responseHeaders.set("Content-Type", "text/html");
      return new Response(html, { headers: responseHeaders, status: responseStatusCode });
    }
    return renderWhole(remixContext, request, nonce).then((page) => {
      keepPage(key, page, nonce);
      responseHeaders.set("Content-Type", "text/html");
      return new Response(page, { headers: responseHeaders, status: responseStatusCode });
    });
  }
  const waitForAll = isbot(request.headers.get("user-agent") || "");
  // No root loader data: root's boundary caught an action's error; the page still speaks the visitor's language.
  const locale = remixContext.staticHandlerContext.loaderData.root ? undefined : await errorPageLocale(request);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <FallbackLocaleProvider value={locale}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce || undefined} />
        </FallbackLocaleProvider>
      </NonceProvider>,
      {
        nonce: nonce || undefined,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * A page to keep: rendered to the end (no page streams anything after its shell: there is no Suspense
 * in the app) and collected as one string. A render error rejects, and Remix renders its error page.
 */
function renderWhole(remixContext: EntryContext, request: Request, nonce: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let failed = false;
    // Assigned once, after renderToPipeableStream, but declared first: React may call back before.
    // eslint-disable-next-line prefer-const
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        if (!failed) resolve(Buffer.concat(chunks).toString("utf8"));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          clearTimeout(timer);
          pipe(sink);
        },
        onShellError(error: unknown) {
          failed = true;
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          // An error after the shell (none expected without Suspense): keep nothing, answer nothing half-done.
          failed = true;
          clearTimeout(timer);
          reject(error);
        },
      },
    );
    timer = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (!request.signal.aborted) console.error(error);
}

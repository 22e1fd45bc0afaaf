import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the HTTP server knows about a request that Remix's `Request` does not carry: the client's
 * address as the server resolved it (a proxy's `X-Forwarded-For` only when TABLERO_TRUST_PROXY says so),
 * the request id the logs use and the CSP nonce of the page.
 */
export type RequestInfo = { id: string; ip: string | null; nonce: string };

// The express server (run from source by tsx) and the Remix build (bundled by vite) each load their own
// copy of this module; one store on globalThis lets services in the build see what the server set.
const g = globalThis as unknown as { __tableroRequestStore?: AsyncLocalStorage<RequestInfo> };
export const requestStore: AsyncLocalStorage<RequestInfo> = (g.__tableroRequestStore ??= new AsyncLocalStorage<RequestInfo>());

/** The current request's info, or null outside the production server (unit tests, `remix vite:dev`). */
export function currentRequest(): RequestInfo | null {
  return requestStore.getStore() ?? null;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce for inline scripts (entry.server.tsx, root.tsx). */
    nonce?: string;
    requestId?: string;
  }
}

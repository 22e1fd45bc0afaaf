import { REFUSAL_HEADER } from "./http/error-page";

/**
 * Every action reads its form through here. `request.formData()` throws a TypeError on a body that is
 * not the form it claims to be (a multipart body without its closing boundary, a Content-Type it cannot
 * parse), and an uncaught throw is the 500 page ("something went wrong on our side") for what is the
 * sender's fault. One helper rather than a try/catch in each of the ~30 actions, and rather than a
 * catch-all in the server (which could not tell this TypeError from a bug in an action).
 *
 * The 400 is thrown: a UI route shows the root ErrorBoundary's translated "could not be understood"
 * page; a resource route's Response is replaced by the server's translated page (REFUSAL_HEADER).
 * A body cut for being too large, or a client gone away, aborts the request first: that error is
 * rethrown untouched (remix-handler answers 413 for the first; nobody is listening for the second).
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (error) {
    if (request.signal.aborted || !(error instanceof TypeError)) throw error;
    throw new Response("Bad request: the form could not be read", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", [REFUSAL_HEADER]: "badForm" },
    });
  }
}

/** Thrown from services; the nearest ErrorBoundary renders a translated page for the status. */
export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}
export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

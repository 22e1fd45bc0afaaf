import { isRouteErrorResponse } from "@remix-run/react";

/**
 * Which error page a thrown error gets, by its status: each kind has its own translated title and text
 * (common.json, errorPage.<kind>Title / <kind>Body). A 400 is the request's fault and must not show the
 * 500 page; a 503 thrown by `savingOrThrow` (save-failure.server.ts) says that nothing was changed.
 */
export type ErrorKind = "badRequest" | "forbidden" | "notFound" | "tooLarge" | "notSaved" | "server";

const BY_STATUS: Record<number, ErrorKind> = { 400: "badRequest", 403: "forbidden", 404: "notFound", 405: "badRequest", 413: "tooLarge" };

export function errorKind(error: unknown): ErrorKind {
  if (!isRouteErrorResponse(error)) return "server";
  if (error.status === 503 && (error.data as { notSaved?: boolean } | null)?.notSaved) return "notSaved";
  return BY_STATUS[error.status] ?? "server";
}

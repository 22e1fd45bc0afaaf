import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { audioContentType, audioPath } from "~/services/audio/clips.server";
import { byteRange } from "~/services/audio/range.server";
import { requireAudible } from "~/services/access/audio.server";
import { shareKeyParam } from "~/services/access/visibility.server";
import { context } from "~/services/request.server";

/**
 * A recording, by its content-hash key (so cached for ever), with byte ranges: Safari asks for
 * `Range: bytes=0-1` before it plays anything, and seeking asks for the rest. Only for those who may
 * hear it (app/services/access/audio.server.ts), so only private caches may keep it.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const key = params.key ?? "";
  const path = audioPath(key);
  if (!path) throw new Response("Not found", { status: 404 });
  const { db, user } = await context(request);
  await requireAudible(db, key, user, shareKeyParam(request.url));
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new Response("Not found", { status: 404 });
  }
  const headers: Record<string, string> = {
    "Content-Type": audioContentType(key),
    "Accept-Ranges": "bytes",
    // The same key always holds the same bytes, but who may hear them can change (a grant revoked).
    "Cache-Control": "private, max-age=3600",
    Vary: "Cookie",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  const range = byteRange(request.headers.get("Range"), bytes.length);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${bytes.length}` } });
  }
  if (range) {
    const [start, end] = range;
    return new Response(new Uint8Array(bytes.subarray(start, end + 1)), {
      status: 206,
      headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${bytes.length}`, "Content-Length": String(end - start + 1) },
    });
  }
  return new Response(new Uint8Array(bytes), { headers: { ...headers, "Content-Length": String(bytes.length) } });
}

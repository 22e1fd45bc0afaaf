import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { audioContentType, audioPath } from "~/services/audio/clips.server";
import { byteRange } from "~/services/audio/range.server";

/**
 * A recording, by its content-hash key (so cached for ever), with byte ranges: Safari asks for
 * `Range: bytes=0-1` before it plays anything, and seeking asks for the rest.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const key = params.key ?? "";
  const path = audioPath(key);
  if (!path) throw new Response("Not found", { status: 404 });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new Response("Not found", { status: 404 });
  }
  const headers: Record<string, string> = {
    "Content-Type": audioContentType(key),
    "Accept-Ranges": "bytes",
    "Cache-Control": "public, max-age=31536000, immutable",
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

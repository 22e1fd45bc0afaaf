import type { LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "node:fs/promises";
import { imageContentType, imagePath } from "~/services/images.server";

/** Stored pictures are named by their content hash, so they can be cached forever. */
export async function loader({ params }: LoaderFunctionArgs) {
  const path = imagePath(params.key ?? "");
  if (!path) throw new Response("Not found", { status: 404 });
  try {
    const bytes = await readFile(path);
    return new Response(bytes, {
      headers: {
        "Content-Type": imageContentType(params.key!),
        // An SVG opened on its own must not run anything.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch {
    throw new Response("Not found", { status: 404 });
  }
}

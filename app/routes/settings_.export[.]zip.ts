import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { exportZip } from "~/services/export.server";
import { signedIn } from "~/services/request.server";

/** "Download my data": the zip is streamed as it is written, never held whole in memory. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = signedIn(request);
  const zip = exportZip(db, user.id);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(Readable.toWeb(zip) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="tablero-my-data-${day}.zip"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

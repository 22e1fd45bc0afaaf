import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { exportZip } from "~/services/export.server";
import { i18nFor } from "~/i18n";
import { signedIn } from "~/services/request.server";

/** "Download my data": the zip is streamed as it is written, never held whole in memory. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const zip = await exportZip(db, user.id);
  const day = new Date().toISOString().slice(0, 10);
  // The file is named in the person's language (a file name is text they read too).
  const name = i18nFor(user.locale).t("accounts:export.fileName", { day });
  return new Response(Readable.toWeb(zip) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

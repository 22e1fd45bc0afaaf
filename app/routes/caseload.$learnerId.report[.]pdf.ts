import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadResponse, pdfDownload } from "~/services/caseload-export.server";
import { idParam, signedIn } from "~/services/request.server";
import { resolveLocale } from "~/services/preferences.server";

/** /caseload/:learnerId/report.pdf?from=&to=&mode= — the printable report (404 without access). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const locale = resolveLocale(request, user);
  const id = idParam(params.learnerId);
  return downloadResponse(await pdfDownload(db, user, id, new URL(request.url).searchParams, locale));
}

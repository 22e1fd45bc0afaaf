import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvDownload, downloadResponse } from "~/services/caseload-export.server";
import { signedIn } from "~/services/request.server";
import { resolveLocale } from "~/services/preferences.server";

/** /caseload/reviews.csv?from=&to=&mode= — one row per review of every learner on the viewer's caseload. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const locale = resolveLocale(request, user);
  return downloadResponse(await csvDownload(db, user, null, new URL(request.url).searchParams, locale));
}

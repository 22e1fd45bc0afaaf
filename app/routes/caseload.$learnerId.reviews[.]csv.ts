import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvDownload, downloadResponse } from "~/services/caseload-export.server";
import { idParam, signedIn } from "~/services/request.server";
import { resolveLocale } from "~/services/preferences.server";

/** /caseload/:learnerId/reviews.csv?from=&to=&mode= — one row per review of one learner (404 without access). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const locale = resolveLocale(request, user);
  const id = idParam(params.learnerId);
  return downloadResponse(await csvDownload(db, user, id, new URL(request.url).searchParams, locale));
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "~/services/preferences.server";
import { homeworkIcs } from "~/services/reminders.server";
import { signedIn } from "~/services/request.server";

/** /homework.ics — the signed-in person's homework due dates, as the workshop calendar is offered. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  const body = await homeworkIcs(db, user, new URL(request.url).origin, resolveLocale(request, user));
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="homework.ics"',
      "Cache-Control": "private, no-store",
    },
  });
}

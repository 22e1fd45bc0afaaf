import type { LoaderFunctionArgs } from "@remix-run/node";
import { context, idParam } from "~/services/request.server";
import { workshopCalendar } from "~/services/workshop-calendar.server";

/** The series as an .ics file, for the therapist and members only (404 to anyone else). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const id = idParam(params.workshopId);
  const body = await workshopCalendar(db, id, user, new URL(request.url).origin);
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="workshop-${id}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}

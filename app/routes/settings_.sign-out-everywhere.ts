import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signedIn } from "~/services/request.server";
import { clearSessionCookie, endAllSessions } from "~/services/session.server";

/** Ends every session of the account on the server (this one too), then says so on the sign-in page. */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  await endAllSessions(db, user.id);
  return redirect("/login?notice=signedOutEverywhere", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export const loader = () => redirect("/settings");

import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { localeCookie, parseLocale } from "~/services/preferences.server";
import { context } from "~/services/request.server";
import { safeRedirect } from "~/services/session.server";
import { setLocale } from "~/services/users.server";
import { readForm } from "~/services/form.server";

/** Switches the language from any page and returns to it; an account remembers the choice. */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await context(request);
  const form = await readForm(request);
  const lng = parseLocale(form.get("lng"));
  const to = safeRedirect(form.get("redirectTo"));
  if (!lng) return redirect(to);
  if (user) await setLocale(db, user.id, lng);
  return redirect(to, { headers: { "Set-Cookie": localeCookie(request, lng) } });
}

export const loader = () => redirect("/");

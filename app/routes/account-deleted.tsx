import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { titleFor } from "~/lib/meta";
import { context } from "~/services/request.server";

export const meta: MetaFunction = (args) => titleFor(args, "accounts:delete.title");

/** Where deleting an account lands: says it is done. Someone signed in has nothing to see here. */
export async function loader({ request }: LoaderFunctionArgs) {
  if ((await context(request)).user) throw redirect("/");
  return null;
}

export default function AccountDeleted() {
  const { t } = useTranslation("accounts");
  return (
    <>
      <h1>{t("delete.title")}</h1>
      <p role="status" className="notice">
        {t("delete.done")}
      </p>
      <p>
        <Link to="/">{t("common:nav.home")}</Link>
      </p>
    </>
  );
}

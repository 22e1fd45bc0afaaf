import { Link, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { errorKind, type ErrorKind } from "~/lib/error-kind";

/**
 * The one error page (in the spirit of the Epic Stack's GeneralErrorBoundary): the status picks the
 * kind, each kind has its own translated heading and text, and a route may replace one kind's body
 * through `handlers` (e.g. a board's own "not found" wording). Only unexpected errors are logged.
 */
export function GeneralErrorBoundary({ handlers = {} }: { handlers?: Partial<Record<ErrorKind, () => ReactNode>> }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const kind = errorKind(error);
  if (kind === "server") console.error(error);
  return (
    <section className="error-page">
      <h1 tabIndex={-1}>{t(`errorPage.${kind}Title`)}</h1>
      {handlers[kind]?.() ?? <p>{t(`errorPage.${kind}Body`)}</p>}
      <p className="standalone-link">
        <Link to="/">{t("errorPage.home")}</Link>
      </p>
    </section>
  );
}

import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The "Account" part of /settings: password, sign out everywhere, export, delete. */
export function AccountSection({ changed }: { changed: boolean }) {
  const { t } = useTranslation("accounts");
  return (
    <section aria-labelledby="account-h">
      <h2 id="account-h" tabIndex={-1}>
        {t("section.heading")}
      </h2>
      {changed ? (
        <p role="status" className="notice">
          {t("password.changed")}
        </p>
      ) : null}
      <p>{t("section.intro")}</p>
      <ul className="stack">
        <li>
          <Link to="/settings/password" className="target-link">
            {t("section.password")}
          </Link>
        </li>
        <li>
          <a href="/settings/export.zip" download className="target-link">
            {t("section.export")}
          </a>
          <p className="meta">{t("section.exportHelp")}</p>
        </li>
        <li>
          <Form method="post" action="/settings/sign-out-everywhere">
            <button type="submit" className="button">
              {t("section.signOutEverywhere")}
            </button>
          </Form>
          <p className="meta">{t("section.signOutEverywhereHelp")}</p>
        </li>
        <li>
          <Link to="/settings/delete" className="target-link">
            {t("section.delete")}
          </Link>
        </li>
      </ul>
    </section>
  );
}

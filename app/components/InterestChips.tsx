import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Interest = { slug: string; label: string };

/** Interests as a row of chips, each a link to that interest's page. */
export function InterestLinks({ interests }: { interests: Interest[] }) {
  return (
    <ul className="chips">
      {interests.map((i) => (
        <li key={i.slug}>
          <Link className="chip" to={`/interests/${i.slug}`}>
            {i.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The top interests of a card or board, each a link to that interest's page. */
export function InterestChips({ interests }: { interests: Interest[] }) {
  const { t } = useTranslation();
  if (!interests.length) return null;
  return (
    <section aria-labelledby="interests-h" className="interests">
      <h2 id="interests-h">{t("interest.topics")}</h2>
      <InterestLinks interests={interests} />
    </section>
  );
}

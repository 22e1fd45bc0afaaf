import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The top interests of a card or board, each a link to that interest's page. */
export function InterestChips({ interests }: { interests: { slug: string; label: string }[] }) {
  const { t } = useTranslation();
  if (!interests.length) return null;
  return (
    <section aria-labelledby="interests-h" className="interests">
      <h2 id="interests-h">{t("interest.topics")}</h2>
      <ul className="chips">
        {interests.map((i) => (
          <li key={i.slug}>
            <Link className="chip" to={`/interests/${i.slug}`}>
              {i.label}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PRACTICE_MODES, type PracticeMode } from "../../../models/therapy/modes";

/** Links to the four modes of the same board (a mode is part of the address, so each is bookmarkable). */
export function ModePicker({ current, hrefFor }: { current: PracticeMode; hrefFor: (m: PracticeMode) => string }) {
  const { t } = useTranslation("naming");
  return (
    <nav className="mode-picker" aria-label={t("modes.label")}>
      <ul className="actions">
        {PRACTICE_MODES.map((m) => (
          <li key={m}>
            <Link className="button small" to={hrefFor(m)} aria-current={m === current ? "page" : undefined}>
              {t(`modes.${m}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

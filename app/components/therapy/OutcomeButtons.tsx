import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Outcome } from "../../../models/therapy/scoring";

/** Key and order of each outcome: 1 Not yet, 2 Named with help, 3 Named it (least to most, like the old 1–4). */
export const OUTCOME_KEYS: Record<Outcome, string> = { not_yet: "1", cued: "2", correct: "3" };

/**
 * Clinical scoring buttons. Which appear follows the cues shown: with no cue "Named it", after a cue
 * "Named with help" (which records the cue level); "Not yet" always. They are submit buttons of the
 * caller's form (name="outcome"); keys 1–3 press them when not typing.
 */
export function OutcomeButtons({
  outcomes,
  cueLevel,
  disabled,
  onKey,
}: {
  outcomes: Outcome[];
  cueLevel: number;
  disabled: boolean;
  onKey?: (o: Outcome) => void;
}) {
  const { t } = useTranslation("naming");
  const shown = outcomes.join();
  useEffect(() => {
    if (!onKey || disabled) return;
    const handler = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      const o = (shown.split(",") as Outcome[]).find((x) => OUTCOME_KEYS[x] === e.key);
      if (!o) return;
      e.preventDefault();
      onKey(o);
    };
    document.addEventListener("keydown", handler);
    return () => document.removeEventListener("keydown", handler);
  }, [onKey, disabled, shown]);
  return (
    <fieldset disabled={disabled} className="outcome-set">
      <legend>{t("outcome.legend")}</legend>
      {onKey ? <p className="hint">{t("outcome.keys")}</p> : null}
      <div className="rating-buttons">
        {[...outcomes]
          .sort((a, b) => Number(OUTCOME_KEYS[b]) - Number(OUTCOME_KEYS[a]))
          .map((o) => (
            <button
              key={o}
              type="submit"
              name="outcome"
              value={o}
              className={`button rating outcome-${o}${o === "not_yet" ? " rating-again" : ""}`}
              aria-keyshortcuts={onKey ? OUTCOME_KEYS[o] : undefined}
            >
              {onKey ? (
                <span className="rating-key" aria-hidden="true">
                  {OUTCOME_KEYS[o]}
                </span>
              ) : null}
              <span className="rating-label">{t(`outcome.${o}`)}</span>
              <span className="rating-help">{t(`outcome.${o}Help`, { level: cueLevel })}</span>
            </button>
          ))}
      </div>
    </fieldset>
  );
}

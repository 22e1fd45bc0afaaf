import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { imageUrl } from "~/lib/urls";
import { SubmitButton } from "~/components/ui/SubmitButton";

export type PickerTopic = { slug: string; label: string; parent: string | null; coverKey: string | null };

function TopicChip({ topic, checked, onChange }: { topic: PickerTopic; checked: boolean; onChange: (slug: string, on: boolean) => void }) {
  return (
    <li>
      <label className="topic-chip">
        <input
          type="checkbox"
          name="interest"
          value={topic.slug}
          checked={checked}
          onChange={(e) => onChange(topic.slug, e.currentTarget.checked)}
        />
        {topic.coverKey ? <img src={imageUrl(topic.coverKey)} alt="" width={48} height={48} loading="lazy" /> : null}
        <span>{topic.label}</span>
      </label>
    </li>
  );
}

/**
 * The taxonomy's broad topics as large picture chips (real checkboxes: Tab, then Space), with the
 * narrower ones of each behind "More exact topics". Posts to the home page, which keeps the choice
 * (in the account, or in a cookie for visitors).
 */
export function InterestPicker({ topics, chosen, canCancel }: { topics: PickerTopic[]; chosen: string[]; canCancel: boolean }) {
  const { t } = useTranslation("feed");
  const [picked, setPicked] = useState(() => new Set(chosen));
  const busy = useNavigation().state === "submitting";
  const roots = topics.filter((x) => x.parent === null);
  const toggle = (slug: string, on: boolean) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (on) next.add(slug);
      else next.delete(slug);
      return next;
    });
  if (!roots.length) return <p>{t("picker.none")}</p>;
  const narrowerOpen = chosen.some((s) => topics.find((x) => x.slug === s)?.parent);
  return (
    <Form method="post" action="/?index" className="picker" preventScrollReset>
      <input type="hidden" name="intent" value="interests" />
      <fieldset className="topic-set">
        <legend>{t("picker.topics")}</legend>
        <ul className="topic-chips">
          {roots.map((r) => (
            <TopicChip key={r.slug} topic={r} checked={picked.has(r.slug)} onChange={toggle} />
          ))}
        </ul>
      </fieldset>
      <details className="topic-more" open={narrowerOpen || undefined}>
        <summary>{t("picker.more")}</summary>
        {roots.map((r) => {
          const kids = topics.filter((x) => x.parent === r.slug);
          if (!kids.length) return null;
          return (
            <fieldset key={r.slug} className="topic-set">
              <legend>{r.label}</legend>
              <ul className="topic-chips">
                {kids.map((k) => (
                  <TopicChip key={k.slug} topic={k} checked={picked.has(k.slug)} onChange={toggle} />
                ))}
              </ul>
            </fieldset>
          );
        })}
      </details>
      <p className="actions">
        <SubmitButton busy={busy} className="button primary">
          {t("picker.save")}
        </SubmitButton>
        {canCancel ? (
          <Link to="/" className="button">
            {t("picker.cancel")}
          </Link>
        ) : null}
      </p>
    </Form>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PresentationDeck } from "~/components/PresentationDeck";
import { i18nFor } from "~/i18n";
import { context, idParam } from "~/services/request.server";
import { presentation } from "~/services/workshop-sessions.server";
import { voicesFor } from "~/services/audio/clips.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Tablero" }];
  const t = i18nFor(data.locale).t;
  return [{ title: `${t("workshops:present.title")} · ${data.workshop.title} — Tablero` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = await context(request);
  const p = await presentation(db, idParam(params.workshopId), String(params.date), user);
  // The words in the presenter's own recorded voice, else each card creator's (issue 14).
  const voices = await voicesFor(
    db,
    p.cards.map((c) => c.id),
    user?.id ?? null,
  );
  return {
    workshop: { id: p.workshop.id, title: p.workshop.title, lang: p.workshop.lang },
    cards: p.cards.map((c) => ({ ...c, audio: voices.get(c.id)?.word ?? null })),
    date: String(params.date),
    locale,
  };
}

export default function Present() {
  const { workshop, cards, date } = useLoaderData<typeof loader>();
  return (
    <PresentationDeck
      cards={cards}
      title={workshop.title}
      titleLang={workshop.lang}
      exitTo={`/workshops/${workshop.id}/sessions/${date}`}
    />
  );
}

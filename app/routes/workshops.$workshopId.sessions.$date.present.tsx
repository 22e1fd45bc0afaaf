import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PresentationDeck } from "~/components/PresentationDeck";
import { i18nFor } from "~/i18n";
import { context, formId, idParam, signedIn } from "~/services/request.server";
import { savingOrThrow } from "~/services/save-failure.server";
import { presentation } from "~/services/workshop-sessions.server";
import { markNaming, presentAttendees, presentCues } from "~/services/therapy/present.server";
import { isCueLevel } from "../../models/therapy/cues";
import { isOutcome } from "../../models/therapy/scoring";
import { voicesFor, type Voices } from "~/services/audio/clips.server";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Tablero" }];
  const t = i18nFor(data.locale).t;
  return [{ title: `${t("workshops:present.title")} · ${data.workshop.title} — Tablero` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = await context(request);
  const workshopId = idParam(params.workshopId);
  const date = String(params.date);
  const p = await presentation(db, workshopId, date, user);
  // The words in the presenter's own recorded voice, else each card creator's (issue 14).
  // Per board key: a recording on an unlisted board's card is heard with that board's key (access/audio.server.ts).
  const voices = new Map<number, Voices>();
  for (const key of new Set(p.cards.map((c) => c.shareKey))) {
    const ids = p.cards.filter((c) => c.shareKey === key).map((c) => c.id);
    for (const [id, v] of await voicesFor(db, ids, user?.id ?? null, key)) voices.set(id, v);
  }
  // The therapist's naming practice with the group (?naming=1, issue 14): the word hidden first, clues step by step, marks per attendee.
  const naming = p.role === "therapist" && new URL(request.url).searchParams.get("naming") === "1";
  return {
    workshop: { id: p.workshop.id, title: p.workshop.title, lang: p.workshop.lang },
    cards: p.cards.map((c) => ({ ...c, audio: voices.get(c.id)?.word ?? null })),
    date,
    locale,
    therapist: p.role === "therapist",
    naming: naming
      ? {
          cues: await presentCues(
            db,
            p.cards.map((c) => c.id),
          ),
          attendees: await presentAttendees(db, workshopId, date),
        }
      : null,
  };
}

/** A mark: what the chosen attendees (or the whole group) did with the card shown. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const form = await readForm(request);
  const outcome = form.get("outcome");
  const cueLevel = Number(form.get("cueLevel") ?? 0);
  if (!isOutcome(outcome) || !isCueLevel(cueLevel)) throw new Response("Bad request", { status: 400 });
  const learnerIds = form.getAll("learner").map(Number).filter(Number.isSafeInteger);
  const r = await savingOrThrow(() =>
    markNaming(db, {
      workshopId: idParam(params.workshopId),
      date: String(params.date),
      user,
      pinId: formId(form, "pinId"),
      learnerIds,
      outcome,
      cueLevel,
      now: new Date(),
    }),
  );
  return { marked: r.marked, pinId: formId(form, "pinId") };
}

export default function Present() {
  const { workshop, cards, date, naming, therapist } = useLoaderData<typeof loader>();
  const base = `/workshops/${workshop.id}/sessions/${date}`;
  return (
    <PresentationDeck
      cards={cards}
      title={workshop.title}
      titleLang={workshop.lang}
      exitTo={base}
      naming={naming ? { ...naming, action: `${base}/present?naming=1` } : undefined}
      namingToggle={therapist ? (naming ? `${base}/present` : `${base}/present?naming=1`) : undefined}
    />
  );
}

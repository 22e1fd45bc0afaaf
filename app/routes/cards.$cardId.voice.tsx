import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { VoiceSlot } from "~/components/VoiceRecorder";
import { MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS } from "~/lib/audio-limits";
import { titleFor } from "~/lib/meta";
import { imageUrl } from "~/lib/urls";
import { withKey } from "~/lib/share-link";
import { shareKeyParam } from "~/services/access/visibility.server";
import { voiceAction, voicePage } from "~/services/audio/voice-page.server";
import { idParam, signedIn } from "~/services/request.server";
import { contentDir } from "~/i18n";

/**
 * Recording a card's word and hint, or each page of a Story Pin, in one's own voice (issue 14). The
 * only page whose Permissions-Policy allows the microphone (app/services/http/security-headers.ts).
 */
export const meta: MetaFunction<typeof loader> = (args) => titleFor(args, "voice:page.title", { word: args.data?.card.title ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await signedIn(request);
  return { ...(await voicePage(db, user, idParam(params.cardId), shareKeyParam(request.url))), shareKey: shareKeyParam(request.url) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user } = await signedIn(request);
  const result = await voiceAction(db, user, idParam(params.cardId), shareKeyParam(request.url), request);
  return data(result, { status: result.ok ? 200 : result.status });
}

export default function VoicePage() {
  const { card, isCreator, pages, clips, shareKey } = useLoaderData<typeof loader>();
  const { t } = useTranslation("voice");
  const clip = (page: number, kind: string) => clips.find((c) => c.page === page && c.kind === kind);
  return (
    <article className="voice-page stack">
      <p className="breadcrumb">
        <Link reloadDocument to={withKey(`/cards/${card.id}`, shareKey)}>
          {t("page.back")}
        </Link>
      </p>
      <h1>
        {t("common:punct.label", { label: t("page.heading") })}{" "}
        <span lang={card.lang} dir={contentDir(card.lang)}>
          {card.title}
        </span>
      </h1>
      <div className="voice-card">
        <img src={imageUrl(card.imageKey)} alt={card.alt} lang={card.lang} width={160} height={160} />
        <div>
          <p>{t("page.intro")}</p>
          <p>{t(isCreator ? "page.introCreator" : "page.introOther")}</p>
          <p className="hint">{t("page.limits", { seconds: MAX_AUDIO_SECONDS, mb: MAX_AUDIO_BYTES / (1024 * 1024) })}</p>
        </div>
      </div>
      <VoiceSlot slot="word" headingId="slot-word" heading={t("page.word")} clip={clip(-1, "word")} />
      <VoiceSlot slot="cue" headingId="slot-cue" heading={t("page.cue")} hint={t("page.cueHint")} clip={clip(-1, "cue")} />
      {pages.length > 0 ? (
        <section aria-labelledby="story-pages-h" className="stack">
          <h2 id="story-pages-h">{t("page.storyPages")}</h2>
          {pages.map((p, i) => (
            <div key={p.position} className="voice-story-page">
              <img src={imageUrl(p.imageKey)} alt={p.alt} lang={card.lang} width={120} height={120} />
              {p.text ? (
                <p lang={card.lang} dir={contentDir(card.lang)} className="story-text">
                  {p.text}
                </p>
              ) : null}
              <VoiceSlot
                slot={`page:${p.position}`}
                headingId={`slot-page-${p.position}`}
                heading={t("page.pageN", { n: i + 1 })}
                level={3}
                clip={clip(p.position, "word")}
              />
            </div>
          ))}
        </section>
      ) : null}
    </article>
  );
}

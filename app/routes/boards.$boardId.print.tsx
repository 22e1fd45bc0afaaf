import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/StoryEditor";
import { RadioChoice } from "~/components/ui/Choice";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { titleFor } from "~/lib/meta";
import { getBoardForViewer } from "~/services/boards.server";
import { shareKeyParam } from "~/services/access/visibility.server";
import { withKey } from "~/lib/share-link";
import { parsePrintOptions } from "~/services/print.server";
import { context, idParam } from "~/services/request.server";
import { contentDir } from "~/i18n";

export const meta: MetaFunction = (args) => titleFor(args, "stories:print.title");

/**
 * The print form. It sends a plain GET to /boards/:id/print.pdf (a download); that route sends
 * bad parameters back here with the same query, and they are explained field by field.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, locale } = await context(request);
  const board = await getBoardForViewer(db, idParam(params.boardId), user, shareKeyParam(request.url));
  const search = new URL(request.url).searchParams;
  const sent = ["per", "paper", "second"].some((k) => search.has(k));
  const parsed = sent ? parsePrintOptions(search) : null;
  const defaults = {
    per: "6",
    paper: locale === "en" && request.headers.get("Accept-Language")?.includes("en-US") ? "letter" : "a4",
    second: "none",
  };
  return {
    board: { id: board.id, title: board.title, lang: board.lang, cardCount: board.cards.length, shareKey: board.shareKey },
    errors: parsed && !parsed.ok ? parsed.errors : undefined,
    values:
      parsed && !parsed.ok
        ? { ...defaults, ...parsed.values }
        : parsed?.ok
          ? { per: String(parsed.options.per), paper: parsed.options.paper, second: parsed.options.second ?? "none" }
          : defaults,
  };
}

export default function PrintCards() {
  const { board, errors, values } = useLoaderData<typeof loader>();
  const { t } = useTranslation("stories");
  const label = (field: string) => t(`print.${field}`);
  return (
    <div className="print-page">
      <h1>
        {t("print.heading")}{" "}
        <span lang={board.lang} dir={contentDir(board.lang)}>
          {board.title}
        </span>
      </h1>
      <p className="standalone-link">
        <Link to={withKey(`/boards/${board.id}`, board.shareKey)}>{t("print.back")}</Link>
      </p>
      {board.cardCount === 0 ? (
        <p className="notice" role="status">
          {t("print.empty")}
        </p>
      ) : (
        <>
          <p className="lead">{t("print.intro")}</p>
          <form method="get" action={`/boards/${board.id}/print.pdf`} className="stack narrow" noValidate>
            {/* An unlisted board opens with its share key: the download needs it as much as this page. */}
            {board.shareKey ? <input type="hidden" name="key" value={board.shareKey} /> : null}
            <ErrorSummary errors={errors} label={label} message={(k) => t(k)} />
            <RadioChoice
              name="per"
              label={t("print.per")}
              defaultValue={values.per}
              error={errors?.per}
              options={[
                { value: "4", label: t("print.per4") },
                { value: "6", label: t("print.per6") },
                { value: "9", label: t("print.per9") },
              ]}
            />
            <RadioChoice
              name="paper"
              label={t("print.paper")}
              defaultValue={values.paper}
              error={errors?.paper}
              options={[
                { value: "a4", label: t("print.a4") },
                { value: "letter", label: t("print.letter") },
              ]}
            />
            <RadioChoice
              name="second"
              label={t("print.second")}
              description={t("print.secondHint")}
              defaultValue={values.second}
              error={errors?.second}
              options={[{ value: "none", label: t("print.secondNone") }, ...LANGUAGE_OPTIONS]}
            />
            <button type="submit" className="button primary">
              {t("print.submit")}
            </button>
            <p className="hint">{t("print.after")}</p>
          </form>
        </>
      )}
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BoardList } from "~/components/BoardList";
import { publicBoardsOf } from "~/services/boards.server";
import { hasPublicProfile } from "~/services/access/visibility.server";
import { idParam, readContext } from "~/services/request.server";
import { getCreatorProfile } from "~/services/users.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.profile.user.displayName} — Tablero` : "Tablero" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await readContext(request);
  const user = await getCreatorProfile(db, idParam(params.userId));
  // Only people with public content have a profile: otherwise /u/1..N would list every account.
  if (!user || !(await hasPublicProfile(db, user.id))) throw new Response("Not found", { status: 404 });
  return { profile: { user, boards: await publicBoardsOf(db, user.id) } };
}

export default function CreatorProfile() {
  const { profile } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const since = new Intl.DateTimeFormat(i18n.language, { year: "numeric", month: "long" }).format(new Date(profile.user.createdAt));
  const roles = new Intl.ListFormat(i18n.language, { type: "conjunction" }).format(profile.user.roles.map((r) => t(`roles.${r}`)));
  return (
    <>
      <h1>{profile.user.displayName}</h1>
      <p className="meta">
        {roles ? <>{roles} · </> : null}
        {t("profile.memberSince", { date: since })}
      </p>
      <h2>{t("profile.publicBoards")}</h2>
      {profile.boards.length ? <BoardList boards={profile.boards} /> : <p>{t("profile.noBoards")}</p>}
    </>
  );
}

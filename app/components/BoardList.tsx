import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { imageUrl } from "~/lib/urls";
import { contentDir } from "~/i18n";

export type BoardTileData = {
  id: number;
  title: string;
  description: string;
  lang: string;
  visibility?: string;
  ownerName?: string;
  cardCount: number;
  coverKey: string | null;
};

/** Boards as a list of tiles: the whole tile is one link, its title the link's name. */
export function BoardList({ boards, showVisibility = false }: { boards: BoardTileData[]; showVisibility?: boolean }) {
  const { t, i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language);
  return (
    <ul className="board-grid">
      {boards.map((b) => (
        <li key={b.id} className="board-tile">
          {b.coverKey ? (
            <img src={imageUrl(b.coverKey)} alt="" width={160} height={160} loading="lazy" />
          ) : (
            <div className="cover-empty" aria-hidden="true" />
          )}
          <h3>
            <Link to={`/boards/${b.id}`} lang={b.lang} dir={contentDir(b.lang)} className="tile-link">
              {b.title}
            </Link>
          </h3>
          <p className="meta">
            {t("board.cardCount", { count: b.cardCount, formatted: nf.format(b.cardCount) })}
            {b.ownerName ? <> · {t("board.by", { name: b.ownerName })}</> : null}
            {showVisibility && b.visibility ? <> · {t(`visibility.${b.visibility}`)}</> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

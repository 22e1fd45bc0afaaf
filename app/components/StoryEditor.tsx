import { Form } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { RadioChoice } from "~/components/ui/Choice";
import { TextField } from "~/components/ui/TextField";
import { LANGUAGE_OPTIONS } from "~/lib/languages";
import { splitMessage } from "~/lib/error-message";
import { MAX_ALT, MAX_PAGE_TEXT, MAX_PAGES, MAX_TITLE, pageField, type PageValues, type StoryValues } from "~/lib/story-forms";
import { imageUrl } from "~/lib/urls";
import { contentDir } from "~/i18n";

type BoardChoice = { id: number; title: string; lang: string };
const ACCEPT = "image/png,image/jpeg,image/webp,image/gif";
type PageField = "image" | "alt" | "text";

const emptyPage = (id: string): PageValues => ({ id, alt: "", text: "" });
const nextId = (pages: PageValues[]) => `p${Math.max(0, ...pages.map((p) => Number(p.id.slice(1)) || 0)) + 1}`;

/**
 * Errors summed up at the top of a form: announced, each linked to its field, focus on the first bad
 * field. `label` names a field in the person's language.
 */
export function ErrorSummary({
  errors,
  label,
  message,
}: {
  errors?: Record<string, string>;
  label: (field: string) => string;
  message: (key: string) => string;
}) {
  const { t } = useTranslation("stories");
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  useEffect(() => {
    if (!entries.length) return;
    const form = ref.current?.closest("form") ?? document;
    const first = form.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid] input');
    (first ?? ref.current)?.focus();
  }, [errors]);
  if (!entries.length) return null;
  return (
    <div ref={ref} role="alert" className="form-alert" tabIndex={-1}>
      <p>{t("editor.fixErrors", { count: entries.length })}</p>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            <a href={`#field-${field}`}>
              {label(field)}: {message(key)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The Story Pin form: title, language, the board it is about, (when new) the board to save it on,
 * and 1 to MAX_PAGES pages, each a picture with its required description and a short text. Pages are
 * added, removed and moved here; a picture already uploaded is kept by its key when the form comes back
 * with an error elsewhere.
 */
export function StoryEditor(props: {
  values: StoryValues;
  errors?: Record<string, string>;
  aboutOptions: BoardChoice[];
  /** Only for a new story: the author's boards, one of which holds the story. */
  boardOptions?: BoardChoice[];
  submitLabel: string;
  busy: boolean;
}) {
  const { t } = useTranslation("stories");
  const initial = () => (props.values.pages.length ? props.values.pages : [emptyPage("p1")]);
  const [pages, setPages] = useState<PageValues[]>(initial);
  const [announcement, setAnnouncement] = useState("");
  const focusNext = useRef<string | null>(null);
  // What the server sent back (after a refused submission) replaces the pages, keys included.
  useEffect(() => setPages(initial()), [props.values]);
  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  }, [pages]);

  const errors = props.errors ?? {};
  // "stories:…" keys name their namespace; the others are common.json's ("errors.required").
  const msg = (message: string) => {
    const { key, params } = splitMessage(message);
    return key.includes(":") ? t(key, params) : t(key, { ...params, ns: "common" });
  };
  const fieldLabel = (field: string) => {
    const m = /^(image|alt|text)-(p\d+)$/.exec(field);
    if (!m) return t(`fields.${field}`);
    const n = pages.findIndex((p) => p.id === m[2]) + 1;
    return t("editor.onPage", { n, field: t(`fields.${m[1]}`) });
  };

  const update = (id: string, change: Partial<PageValues>) => setPages((ps) => ps.map((p) => (p.id === id ? { ...p, ...change } : p)));
  function add() {
    if (pages.length >= MAX_PAGES) return;
    const id = nextId(pages);
    focusNext.current = `field-image-${id}`;
    setPages([...pages, emptyPage(id)]);
    setAnnouncement(t("editor.added", { n: pages.length + 1 }));
  }
  function remove(id: string) {
    if (pages.length <= 1) return;
    focusNext.current = "add-page";
    setPages(pages.filter((p) => p.id !== id));
    setAnnouncement(t("editor.removed", { count: pages.length - 1 }));
  }
  function move(id: string, delta: -1 | 1) {
    const i = pages.findIndex((p) => p.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= pages.length) return;
    const next = [...pages];
    [next[i], next[j]] = [next[j]!, next[i]!];
    focusNext.current = `${delta < 0 ? "up" : "down"}-${id}`;
    setPages(next);
    setAnnouncement(t("editor.moved", { n: j + 1, total: pages.length }));
  }

  const selectProps = (name: string) => ({
    id: `field-${name}`,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": [`${name}-hint`, errors[name] ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined,
  });
  const fieldError = (name: string) =>
    errors[name] ? (
      <p id={`${name}-error`} className="field-error">
        {msg(errors[name]!)}
      </p>
    ) : null;

  return (
    <Form method="post" encType="multipart/form-data" className="stack story-form" noValidate>
      <ErrorSummary errors={props.errors} label={fieldLabel} message={msg} />
      <TextField
        name="title"
        label={t("fields.title")}
        isRequired
        defaultValue={props.values.title}
        error={errors.title}
        limit={MAX_TITLE}
      />
      <RadioChoice name="lang" label={t("fields.lang")} defaultValue={props.values.lang} options={LANGUAGE_OPTIONS} error={errors.lang} />
      <div className="field">
        <label htmlFor="field-about">{t("fields.about")}</label>
        <select {...selectProps("about")} defaultValue={props.values.about ?? ""}>
          <option value="">{t("fields.aboutNone")}</option>
          {props.aboutOptions.map((b) => (
            <option key={b.id} value={b.id} lang={b.lang} dir={contentDir(b.lang)}>
              {b.title}
            </option>
          ))}
        </select>
        <p id="about-hint" className="hint">
          {t("fields.aboutHint")}
        </p>
        {fieldError("about")}
      </div>
      {props.boardOptions ? (
        <div className="field">
          <label htmlFor="field-board">
            {t("fields.board")} <span className="required">({t("common:form.required")})</span>
          </label>
          <select
            {...selectProps("board")}
            aria-describedby={errors.board ? "board-error" : undefined}
            defaultValue={props.values.board || String(props.boardOptions[0]?.id ?? "")}
          >
            {props.boardOptions.map((b) => (
              <option key={b.id} value={b.id} lang={b.lang} dir={contentDir(b.lang)}>
                {b.title}
              </option>
            ))}
          </select>
          {fieldError("board")}
        </div>
      ) : null}

      <fieldset className="story-pages" id="field-pages" aria-describedby={`pages-hint${errors.pages ? " pages-error" : ""}`}>
        <legend>{t("fields.pages")}</legend>
        <p id="pages-hint" className="hint">
          {t("editor.pagesIntro", { max: MAX_PAGES })} {t("editor.pageCount", { count: pages.length })}
        </p>
        {fieldError("pages")}
        <ol className="story-page-list">
          {pages.map((page, i) => {
            const err = (f: PageField) => errors[pageField(page.id, f)];
            const described = (f: PageField, hint: boolean) =>
              [hint ? `${f}-${page.id}-hint` : "", err(f) ? `${f}-${page.id}-error` : ""].filter(Boolean).join(" ") || undefined;
            const errorOf = (f: PageField) =>
              err(f) ? (
                <p id={`${f}-${page.id}-error`} className="field-error">
                  {msg(err(f)!)}
                </p>
              ) : null;
            return (
              <li key={page.id}>
                <fieldset className="story-page-edit">
                  <legend>{t("editor.page", { n: i + 1 })}</legend>
                  <input type="hidden" name="page" value={page.id} />
                  {page.key ? <input type="hidden" name={pageField(page.id, "key")} value={page.key} /> : null}
                  <div className="field">
                    {page.key ? (
                      <p className="kept-picture">
                        <img src={imageUrl(page.key)} alt="" width={96} height={96} />
                        <span>{t("editor.keptPicture")}</span>
                      </p>
                    ) : null}
                    <label htmlFor={`field-image-${page.id}`}>
                      {page.key ? t("fields.replaceImage") : t("fields.image")}
                      {page.key ? null : <span className="required"> ({t("common:form.required")})</span>}
                    </label>
                    <input
                      id={`field-image-${page.id}`}
                      name={pageField(page.id, "image")}
                      type="file"
                      accept={ACCEPT}
                      aria-invalid={err("image") ? true : undefined}
                      aria-describedby={described("image", true)}
                    />
                    <p id={`image-${page.id}-hint`} className="hint">
                      {t("editor.pictureHint")}
                    </p>
                    {errorOf("image")}
                  </div>
                  <div className="field">
                    <label htmlFor={`field-alt-${page.id}`}>
                      {t("fields.alt")} <span className="required">({t("common:form.required")})</span>
                    </label>
                    <textarea
                      id={`field-alt-${page.id}`}
                      name={pageField(page.id, "alt")}
                      rows={2}
                      value={page.alt}
                      onChange={(e) => update(page.id, { alt: e.currentTarget.value })}
                      aria-invalid={err("alt") ? true : undefined}
                      aria-describedby={described("alt", true)}
                    />
                    <p id={`alt-${page.id}-hint`} className="hint">
                      {t("editor.altHint")} {t("common:form.atMost", { max: MAX_ALT })}
                    </p>
                    {errorOf("alt")}
                  </div>
                  <div className="field">
                    <label htmlFor={`field-text-${page.id}`}>{t("fields.text")}</label>
                    <textarea
                      id={`field-text-${page.id}`}
                      name={pageField(page.id, "text")}
                      rows={3}
                      value={page.text}
                      onChange={(e) => update(page.id, { text: e.currentTarget.value })}
                      aria-invalid={err("text") ? true : undefined}
                      aria-describedby={described("text", true)}
                    />
                    <p id={`text-${page.id}-hint`} className="hint">
                      {t("editor.textHint", { max: MAX_PAGE_TEXT })}
                    </p>
                    {errorOf("text")}
                  </div>
                  <div className="page-buttons" role="group" aria-label={t("editor.page", { n: i + 1 })}>
                    <button
                      type="button"
                      id={`up-${page.id}`}
                      className="button small"
                      aria-disabled={i === 0 || undefined}
                      onClick={() => move(page.id, -1)}
                    >
                      <span aria-hidden="true">↑</span> {t("editor.moveUp")}
                    </button>
                    <button
                      type="button"
                      id={`down-${page.id}`}
                      className="button small"
                      aria-disabled={i === pages.length - 1 || undefined}
                      onClick={() => move(page.id, 1)}
                    >
                      <span aria-hidden="true">↓</span> {t("editor.moveDown")}
                    </button>
                    <button
                      type="button"
                      className="button small danger"
                      aria-disabled={pages.length <= 1 || undefined}
                      onClick={() => remove(page.id)}
                    >
                      {t("editor.removePage")}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button type="button" id="add-page" className="button" aria-disabled={pages.length >= MAX_PAGES || undefined} onClick={add}>
          <span aria-hidden="true">+</span> {t("editor.addPage")}
        </button>
        <p role="status" className="visually-hidden">
          {announcement}
        </p>
      </fieldset>
      <button type="submit" className="button primary" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </Form>
  );
}

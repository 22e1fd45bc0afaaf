import { Form } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * The owner's share link of an unlisted board: the full link in a read-only field (selectable and
 * copyable by hand, also without JavaScript), a Copy button once JavaScript runs, and a form that makes
 * a new link (the old one stops working). Every control is a native input or button: keyboard-usable.
 */
export function ShareLink({ url }: { url: string }) {
  const { t } = useTranslation("access");
  const [canCopy, setCanCopy] = useState(false);
  const [status, setStatus] = useState("");
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && !!navigator.clipboard), []);
  useEffect(() => setStatus(""), [url]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setStatus(t("share.copied"));
    } catch {
      // Clipboard refused (permissions, insecure origin): select the link so Ctrl+C copies it.
      field.current?.select();
      setStatus(t("share.copyFailed"));
    }
  }

  return (
    <section aria-labelledby="share-h" className="share-link notice narrow">
      <h2 id="share-h">{t("share.heading")}</h2>
      <p id="share-intro">{t("share.intro")}</p>
      <p>
        <label htmlFor="share-url">{t("share.label")}</label>
        <input
          id="share-url"
          ref={field}
          type="text"
          readOnly
          value={url}
          aria-describedby="share-intro"
          onFocus={(e) => e.currentTarget.select()}
        />
      </p>
      <ul className="actions">
        {canCopy ? (
          <li>
            <button type="button" className="button primary" onClick={copy}>
              {t("share.copy")}
            </button>
          </li>
        ) : null}
        <li>
          <Form method="post">
            <input type="hidden" name="intent" value="regenerate-link" />
            <button type="submit" className="button" aria-describedby="share-regenerate-hint">
              {t("share.regenerate")}
            </button>
          </Form>
        </li>
      </ul>
      <p id="share-regenerate-hint" className="hint">
        {t("share.regenerateHint")}
      </p>
      <p role="status" className="announcement">
        {status}
      </p>
    </section>
  );
}

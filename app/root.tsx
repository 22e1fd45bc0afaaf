import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Links,
  Link,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useHref,
  useLocation,
  useNavigate,
  useRouteError,
  useRouteLoaderData,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { I18nProvider, RouterProvider } from "react-aria-components";
import { I18nextProvider, useTranslation } from "react-i18next";
import { dirOf, i18nFor, type Lng } from "~/i18n";
import { INTERFACE_LANGUAGES } from "~/lib/languages";
import { context, resolvePrefs } from "~/services/request.server";
import { resolveVoices } from "~/services/preferences.server";
import { useRootData, type RootData } from "~/lib/root-data";
import { isDone } from "~/lib/done";
import { useNonce } from "~/lib/nonce";
import { titleFor } from "~/lib/meta";
import { errorKind } from "~/lib/error-kind";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { MAX_SEARCH_CHARS } from "~/lib/search-limits";
import styles from "~/styles.css?url";

/**
 * Tablero's own title; on an error page, what went wrong ("Page not found — Tablero"), as its heading
 * says. When an action's error left no root data (no loader ran), meta cannot know the visitor's
 * language: Layout writes that title itself, in the language the page is drawn in.
 */
export const meta: MetaFunction<typeof loader> = (args) =>
  args.error
    ? args.matches.find((m) => m.id === "root")?.data
      ? titleFor(args, `errorPage.${errorKind(args.error)}Title`)
      : []
    : [{ title: "Tablero" }];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs): Promise<RootData> {
  const { user, locale } = await context(request);
  return {
    locale,
    prefs: resolvePrefs(request, user),
    voices: resolveVoices(request, user),
    user: user ? { id: user.id, displayName: user.displayName } : null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const { locale, prefs, user } = useRootData();
  const i18n = i18nFor(locale);
  const t = i18n.t;
  const error = useRouteError();
  const rootLoaded = useRouteLoaderData("root") != null;
  const location = useLocation();
  const nonce = useNonce();
  // Effects run after the whole tree has hydrated (children first): from here on the page is interactive.
  // The browser tests wait for this mark instead of half a second of network silence after every load.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  const classes = [prefs.highContrast ? "high-contrast" : "", prefs.reducedMotion ? "reduced-motion" : ""].filter(Boolean).join(" ");
  return (
    <html lang={locale} dir={dirOf(locale)} className={classes || undefined} style={{ fontSize: `${prefs.textSize}%` }}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {error && !rootLoaded ? <title>{`${t(`errorPage.${errorKind(error)}Title`)} — Tablero`}</title> : null}
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          {/* React Aria reads direction from its locale: in Arabic the card grid's ← goes to the next card. */}
          <I18nProvider locale={locale}>
            <a className="skip-link" href="#main">
              {t("nav.skip")}
            </a>
            <header className="site-header">
              <div className="header-inner">
                <Link to="/" className="brand">
                  <span aria-hidden="true" className="brand-mark">
                    ▦
                  </span>{" "}
                  Tablero
                </Link>
                <SiteMenu label={t("nav.menu")}>
                  <nav aria-label={t("nav.label")}>
                    <ul className="nav-list">
                      <li>
                        <Link to="/">{t("nav.home")}</Link>
                      </li>
                      {user ? (
                        <>
                          <li>
                            <Link to="/boards/new">{t("nav.newBoard")}</Link>
                          </li>
                          <li>
                            <Link to="/import">{t("nav.import")}</Link>
                          </li>
                          <li>
                            <Link to="/workshops">{t("nav.workshops")}</Link>
                          </li>
                          <li>
                            <Link to="/practice">{t("nav.practice")}</Link>
                          </li>
                          <li>
                            <Link to={`/u/${user.id}`}>{t("nav.myProfile")}</Link>
                          </li>
                        </>
                      ) : null}
                      <li>
                        <Link to="/settings">{t("nav.settings")}</Link>
                      </li>
                      {user ? (
                        <li>
                          <Form method="post" action="/logout">
                            <button type="submit" className="link-button">
                              {t("nav.signOut")}
                            </button>
                          </Form>
                        </li>
                      ) : (
                        <>
                          <li>
                            <Link to="/login">{t("nav.signIn")}</Link>
                          </li>
                          <li>
                            <Link to="/signup">{t("nav.signUp")}</Link>
                          </li>
                        </>
                      )}
                    </ul>
                  </nav>
                  <Form method="get" action="/search" role="search" className="header-search" aria-label={t("search.formLabel")}>
                    <label htmlFor="header-q" className="visually-hidden">
                      {t("search.label")}
                    </label>
                    {/* dir="auto": a Latin query in the Arabic interface reads left to right, an Arabic one right to left. */}
                    <input
                      id="header-q"
                      name="q"
                      type="search"
                      dir="auto"
                      placeholder={t("search.placeholder")}
                      maxLength={MAX_SEARCH_CHARS}
                    />
                    <button type="submit" className="button small">
                      {t("search.submit")}
                    </button>
                  </Form>
                  <LanguageSwitcher current={locale} redirectTo={location.pathname + location.search} />
                </SiteMenu>
              </div>
            </header>
            <main id="main" tabIndex={-1}>
              <DoneNotice key={location.pathname} />
              {children}
            </main>
            <footer className="site-footer">
              <p>
                <Link to="/about">{t("nav.about")}</Link> · <Link to="/privacy">{t("feed:footer.privacy")}</Link> · {t("footer.credit")}
              </p>
            </footer>
          </I18nProvider>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function LanguageSwitcher({ current, redirectTo }: { current: Lng; redirectTo: string }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action="/language" className="lang-switch" aria-label={t("nav.language")}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <span id="lang-label" className="visually-hidden">
        {t("nav.language")}
      </span>
      {/* Each language by its own name, in its own language and direction, whatever the page's language. */}
      <div role="group" aria-labelledby="lang-label">
        {INTERFACE_LANGUAGES.map((l) => (
          <button
            key={l.value}
            type="submit"
            name="lng"
            value={l.value}
            lang={l.lang}
            dir={dirOf(l.lang)}
            aria-pressed={current === l.value}
          >
            {l.label}
          </button>
        ))}
      </div>
    </Form>
  );
}

/**
 * The header's links, search and languages. On a wide header they sit in one row and the Menu button
 * is hidden (CSS); on a narrow one (a phone, or large text: the breakpoint is in em of the header's
 * text) they fold behind Menu, a native <details> disclosure: keyboard- and screen-reader-operable and
 * working before JavaScript runs. It closes on navigation and with Escape (focus back on Menu).
 */
function SiteMenu({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.pathname, location.search]);
  return (
    // Escape is a convenience beside the summary's own Enter/Space toggle; the keys reach <details> from its content.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <details
      ref={ref}
      className="site-menu"
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !ref.current?.open) return;
        ref.current.open = false;
        ref.current.querySelector("summary")?.focus();
      }}
    >
      <summary className="menu-button">
        <span aria-hidden="true" className="menu-icon">
          ☰
        </span>{" "}
        {label}
      </summary>
      <div className="site-menu-body">{children}</div>
    </details>
  );
}

/**
 * What the form that led here has done ("Card deleted."), from a known `?done=` key only. Once shown,
 * the key leaves the address (history.replaceState: no reload), so a reload or a shared link does not
 * say it again; the message stays until the next page (the layout keys this by path).
 */
function DoneNotice() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [done] = useState(() => params.get("done"));
  useEffect(() => {
    if (!isDone(done)) return;
    const url = new URL(window.location.href);
    url.searchParams.delete("done");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }, [done]);
  return isDone(done) ? (
    <p id="done-notice" role="status" className="notice" tabIndex={-1}>
      {t(`done.${done}`)}
    </p>
  ) : null;
}

/**
 * After a client-side navigation, move focus to the new page's main heading so it is announced — or,
 * when the page says what the last form did ("Card deleted."), to that message.
 */
function useFocusHeadingOnNavigate() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (location.hash) return;
    const heading = document.querySelector<HTMLElement>("#done-notice") ?? document.querySelector<HTMLElement>("main h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [location.pathname]);
}

export default function App() {
  const navigate = useNavigate();
  useFocusHeadingOnNavigate();
  return (
    <RouterProvider navigate={navigate} useHref={useHref}>
      <Outlet />
    </RouterProvider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

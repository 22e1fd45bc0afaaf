import type { MetaArgs } from "@remix-run/node";
import { i18nFor, type Lng } from "~/i18n";

/** A translated, descriptive page title ("Food — Tablero"), in the page's language. */
export function titleFor(args: Pick<MetaArgs, "matches">, key: string, vars: Record<string, unknown> = {}) {
  const root = args.matches.find((m) => m.id === "root")?.data as { locale?: Lng } | undefined;
  const t = i18nFor(root?.locale ?? "en").t;
  const page = t(key, vars) as string;
  return [{ title: `${page} — Tablero` }];
}

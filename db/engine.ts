/** Which database engine this process uses: PostgreSQL when DATABASE_URL is a postgres:// URL, else SQLite. */
export type Engine = "sqlite" | "pg";

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//.test(url);

export function engineFromEnv(env: Record<string, string | undefined> = process.env): Engine {
  return isPostgresUrl(env.DATABASE_URL) ? "pg" : "sqlite";
}

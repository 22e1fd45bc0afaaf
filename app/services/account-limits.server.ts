import { RateLimiterSQLite, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "./db.server";

/**
 * Limits on the forms that send email (password reset, sign-up): per email address, so nobody can
 * flood one inbox, and per client address, so nobody can flood many. Counted in SQLite
 * (`account_rate_limit`), so every worker on the machine shares them. A limit is the same for an email
 * with an account and one without: it never tells the two apart.
 */
export type LimitedAction = "reset" | "signup";

const RULES: Record<LimitedAction, { perEmail: number; perClient: number; windowS: number }> = {
  reset: { perEmail: 3, perClient: 20, windowS: 3600 },
  signup: { perEmail: 3, perClient: 20, windowS: 3600 },
};

const limiters = new WeakMap<object, Map<string, RateLimiterSQLite>>();

function limiter(db: Db, name: string, points: number, duration: number): RateLimiterSQLite {
  let byName = limiters.get(db.$client);
  if (!byName) limiters.set(db.$client, (byName = new Map()));
  let l = byName.get(name);
  if (!l) {
    // The table comes from migration 0010; the library must not try to create it on its own.
    l = new RateLimiterSQLite({ storeClient: db.$client, storeType: "better-sqlite3", tableName: "account_rate_limit", tableCreated: true, keyPrefix: name, points, duration });
    byName.set(name, l);
  }
  return l;
}

/**
 * Counts one request; false when the email or the client has used up its allowance for the window.
 * `client` is null when no trustworthy client address is known (see request.server.ts clientKey).
 */
export async function allowAccountEmail(db: Db, action: LimitedAction, email: string, client: string | null): Promise<boolean> {
  const rule = RULES[action];
  const tries: Promise<unknown>[] = [limiter(db, `${action}-email`, rule.perEmail, rule.windowS).consume(email.toLowerCase())];
  if (client) tries.push(limiter(db, `${action}-client`, rule.perClient, rule.windowS).consume(client));
  const results = await Promise.allSettled(tries);
  for (const r of results) {
    if (r.status === "rejected") {
      if (r.reason instanceof RateLimiterRes) return false;
      throw r.reason;
    }
  }
  return true;
}

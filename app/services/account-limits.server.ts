import { RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "./db.server";
import { rateLimiter } from "./http/rate-limit.server";

/**
 * Limits on the forms that send email (password reset, sign-up): per email address, so nobody can
 * flood one inbox, and per client address, so nobody can flood many. Counted in SQLite
 * (the shared `rate_limit` table, http/rate-limit.server.ts), so every worker on the machine shares them. A limit is the same for an email
 * with an account and one without: it never tells the two apart.
 */
export type LimitedAction = "reset" | "signup";

const RULES: Record<LimitedAction, { perEmail: number; perClient: number; windowS: number }> = {
  reset: { perEmail: 3, perClient: 20, windowS: 3600 },
  signup: { perEmail: 3, perClient: 20, windowS: 3600 },
};

function limiter(db: Db, name: string, points: number, durationS: number) {
  return rateLimiter(db, { keyPrefix: name, points, durationS });
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

import type { Db } from "./db.server";
import { verifyPassword } from "./password.server";
import { forget, giveBack, take, type LimitSpec } from "./http/rate-limit.server";

/**
 * Sign-in and sign-up limits (finding 9), after OWASP's authentication cheat sheet, stored in SQLite:
 *
 *  - per address: failed sign-ins from one IP, whatever the email (random emails do not get around it);
 *  - per (address, account): consecutive failures, forgotten on success;
 *  - per account: failures from devices the account has not used before. This is the limit an
 *    attacker could use against the owner, so a device cookie from an earlier sign-in (device-cookie.server.ts)
 *    skips it and the per-address one, and answers only to its own per-device limit.
 *
 * Each attempt takes its points BEFORE the (slow) password check and gives them back when it succeeds,
 * so a burst of parallel guesses cannot all slip in before the first failure is counted, while parallel
 * correct sign-ins are never refused (each returns its point). Hashing itself is bounded by the queue
 * in password.server.ts.
 */
export const SIGN_IN_LIMITS = {
  address: { keyPrefix: "signin_ip", points: 50, durationS: 3600, blockDurationS: 3600 },
  addressAccount: { keyPrefix: "signin_ip_account", points: 10, durationS: 3600, blockDurationS: 15 * 60 },
  account: { keyPrefix: "signin_account", points: 20, durationS: 3600, blockDurationS: 15 * 60 },
  device: { keyPrefix: "signin_device", points: 10, durationS: 3600, blockDurationS: 15 * 60 },
} satisfies Record<string, LimitSpec>;

export const SIGN_UP_LIMITS = {
  address: { keyPrefix: "signup_ip", points: 20, durationS: 3600, blockDurationS: 3600 },
  account: { keyPrefix: "signup_account", points: 5, durationS: 3600 },
} satisfies Record<string, LimitSpec>;

/** Who is signing in, as far as limits care. `ip` is null without the production server (tests, dev). */
export type SignInClient = { ip: string | null; device: string | null };

type Held = { spec: LimitSpec; key: string }[];

export type Admission = { ok: true; held: Held } | { ok: false; retryAfterS: number };

async function admit(db: Db, wanted: Held): Promise<Admission> {
  const held: Held = [];
  for (const w of wanted) {
    const r = await take(db, w.spec, w.key);
    if (!r.ok) {
      // Refused by one limit: the attempt never happens, so the others get their point back.
      await Promise.all(held.map((h) => giveBack(db, h.spec, h.key)));
      return { ok: false, retryAfterS: r.retryAfterS };
    }
    held.push(w);
  }
  return { ok: true, held };
}

export function admitSignIn(db: Db, email: string, client: SignInClient): Promise<Admission> {
  const account = email.toLowerCase();
  const wanted: Held = client.device
    ? [{ spec: SIGN_IN_LIMITS.device, key: `${client.device}:${account}` }]
    : [
        ...(client.ip
          ? [
              { spec: SIGN_IN_LIMITS.address, key: client.ip },
              { spec: SIGN_IN_LIMITS.addressAccount, key: `${client.ip}:${account}` },
            ]
          : []),
        { spec: SIGN_IN_LIMITS.account, key: account },
      ];
  return admit(db, wanted);
}

/** The attempt was right: every point back, and the consecutive-failure counters start again. */
export async function signInSucceeded(db: Db, held: Held): Promise<void> {
  for (const h of held) {
    if (h.spec === SIGN_IN_LIMITS.addressAccount || h.spec === SIGN_IN_LIMITS.device) await forget(db, h.spec, h.key);
    else await giveBack(db, h.spec, h.key);
  }
}

/** The attempt did not happen (the hashing queue was full): nothing counts against anyone. */
export async function attemptCancelled(db: Db, held: Held): Promise<void> {
  await Promise.all(held.map((h) => giveBack(db, h.spec, h.key)));
}

export function admitSignUp(db: Db, email: string, ip: string | null): Promise<Admission> {
  return admit(db, [
    ...(ip ? [{ spec: SIGN_UP_LIMITS.address, key: ip }] : []),
    { spec: SIGN_UP_LIMITS.account, key: email.toLowerCase() },
  ]);
}

/**
 * A signed-in person confirming their current password (change password, delete account): a stolen
 * session must not be a way to guess it, nor to fill the hashing queue for everyone. Per account.
 */
export const REAUTH_LIMIT = { keyPrefix: "reauth_account", points: 10, durationS: 3600, blockDurationS: 15 * 60 } satisfies LimitSpec;

export type PasswordCheck = "ok" | "wrong" | "limited";

/** Checks `password` under REAUTH_LIMIT; a right one gives its point back, a full hashing queue costs nothing. */
export async function checkCurrentPassword(db: Db, userId: number, password: string, stored: string): Promise<PasswordCheck> {
  const admission = await admit(db, [{ spec: REAUTH_LIMIT, key: String(userId) }]);
  if (!admission.ok) return "limited";
  let right: boolean;
  try {
    right = await verifyPassword(password, stored);
  } catch (e) {
    await attemptCancelled(db, admission.held);
    throw e;
  }
  if (right) await signInSucceeded(db, admission.held);
  return right ? "ok" : "wrong";
}

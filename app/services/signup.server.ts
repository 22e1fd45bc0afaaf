import { and, eq, gt, lt } from "drizzle-orm";
import { signupRequests, users, type UiLocale, type Role, type User } from "../../db/tables";
import { i18nFor } from "~/i18n";
import { allowAccountEmail } from "./account-limits.server";
import type { Db } from "./db.server";
import { sendMail } from "./mailer.server";
import { hashPassword } from "./password.server";
import { safeRedirect } from "./session.server";
import { hashToken, isTokenShaped, newToken } from "./tokens.server";
import { signUp } from "./users.server";

/**
 * Sign-up that never tells whether an email has an account (docs/decisions/0016-accounts.md):
 * - a new email gets a confirmation link; the account is made when it is followed;
 * - an email that has an account gets a note to its owner (sign in, or reset the password);
 * - both answer "check your email", take the same time (the password is hashed in both, mail goes
 *   out in the background) and count against the same limits.
 */
export const SIGNUP_TTL_MS = 24 * 3600_000;

export type SignUpRequest = { email: string; password: string; displayName: string; locale: UiLocale; roles?: Role[]; redirectTo?: string };

export async function requestSignUp(
  db: Db,
  input: SignUpRequest & { origin: string; client: string | null },
  now = new Date(),
): Promise<"sent" | "limited"> {
  const email = input.email.trim().toLowerCase();
  if (!(await allowAccountEmail(db, "signup", email, input.client))) return "limited";
  const passwordHash = await hashPassword(input.password);
  const [owner] = await db.select({ locale: users.locale }).from(users).where(eq(users.email, email)).limit(1);
  if (owner) {
    const t = i18nFor(owner.locale).getFixedT(owner.locale);
    sendMail({
      to: email,
      subject: t("accounts:email.existing.subject"),
      text: t("accounts:email.existing.body", { signIn: `${input.origin}/login`, reset: `${input.origin}/forgot-password` }),
    });
    return "sent";
  }
  const { token, hash } = newToken();
  await db.delete(signupRequests).where(lt(signupRequests.expiresAt, now));
  await db.insert(signupRequests).values({
    id: hash,
    email,
    passwordHash,
    displayName: input.displayName,
    locale: input.locale,
    roles: [...new Set(input.roles ?? [])],
    redirectTo: safeRedirect(input.redirectTo),
    expiresAt: new Date(now.getTime() + SIGNUP_TTL_MS),
  });
  const t = i18nFor(input.locale).getFixedT(input.locale);
  sendMail({
    to: email,
    subject: t("accounts:email.confirm.subject"),
    text: t("accounts:email.confirm.body", { link: `${input.origin}/signup/confirm/${token}`, name: input.displayName }),
  });
  return "sent";
}

/** The pending sign-up behind a link, for the confirmation page (names only what the person typed). */
export async function pendingSignUp(db: Db, token: string | undefined, now = new Date()) {
  if (!isTokenShaped(token)) return null;
  const [pending] = await db
    .select({ email: signupRequests.email, displayName: signupRequests.displayName })
    .from(signupRequests)
    .where(and(eq(signupRequests.id, hashToken(token)), gt(signupRequests.expiresAt, now)))
    .limit(1);
  return pending ?? null;
}

export type ConfirmResult = { ok: true; user: User; redirectTo: string } | { ok: false; error: "accounts:errors.linkInvalid" };

/**
 * Makes the account from a confirmed sign-up (single use). If the email got an account meanwhile
 * (another link of the same email was followed first) the link is simply no longer valid.
 */
export async function confirmSignUp(db: Db, token: string | undefined, now = new Date()): Promise<ConfirmResult> {
  if (!isTokenShaped(token)) return { ok: false, error: "accounts:errors.linkInvalid" };
  const [row] = await db
    .delete(signupRequests)
    .where(and(eq(signupRequests.id, hashToken(token)), gt(signupRequests.expiresAt, now)))
    .returning();
  if (!row) return { ok: false, error: "accounts:errors.linkInvalid" };
  const made = await signUp(db, {
    email: row.email,
    passwordHash: row.passwordHash,
    displayName: row.displayName,
    locale: row.locale,
    roles: row.roles,
  });
  if (!made.ok) return { ok: false, error: "accounts:errors.linkInvalid" };
  // Other pending sign-ups of this email are void now.
  await db.delete(signupRequests).where(eq(signupRequests.email, row.email));
  return { ok: true, user: made.user, redirectTo: row.redirectTo };
}

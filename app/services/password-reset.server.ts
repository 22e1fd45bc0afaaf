import { and, eq, gt, lt } from "drizzle-orm";
import { passwordResetTokens, users, type UiLocale } from "../../db/tables";
import { i18nFor } from "~/i18n";
import { allowAccountEmail } from "./account-limits.server";
import { transaction } from "./data/transaction.server";
import type { Db } from "./db.server";
import { sendMail } from "./mailer.server";
import { hashPassword } from "./password.server";
import { endAllSessions } from "./session.server";
import { hashToken, isTokenShaped, newToken } from "./tokens.server";

/** How long a reset link works. Long enough to find the email, short enough that an old inbox is no key. */
export const RESET_TTL_MS = 60 * 60_000;

export type ResetRequestResult = "sent" | "limited";

/**
 * "Forgot password": if the email has an account, its owner gets a link; either way the answer is the
 * same "sent" (only a rate limit, counted alike for every email, says otherwise). The message goes out
 * in the background, so the answer takes the same time too.
 */
export async function requestPasswordReset(
  db: Db,
  input: { email: string; locale: UiLocale; origin: string; client: string | null },
  now = new Date(),
): Promise<ResetRequestResult> {
  const email = input.email.trim().toLowerCase();
  if (!(await allowAccountEmail(db, "reset", email, input.client))) return "limited";
  const [user] = await db.select({ id: users.id, locale: users.locale }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) return "sent";
  const { token, hash } = newToken();
  await db.delete(passwordResetTokens).where(lt(passwordResetTokens.expiresAt, now));
  await db.insert(passwordResetTokens).values({ id: hash, userId: user.id, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
  const t = i18nFor(user.locale).getFixedT(user.locale);
  const link = `${input.origin}/reset-password/${token}`;
  sendMail({
    to: email,
    subject: t("accounts:email.reset.subject"),
    text: t("accounts:email.reset.body", { link, minutes: RESET_TTL_MS / 60_000 }),
  });
  return "sent";
}

/** Whether a reset link still works (the page asks before showing the new-password form). */
export async function resetTokenValid(db: Db, token: string | undefined, now = new Date()): Promise<boolean> {
  if (!isTokenShaped(token)) return false;
  const found = await db
    .select({ id: passwordResetTokens.id })
    .from(passwordResetTokens)
    .where(and(eq(passwordResetTokens.id, hashToken(token)), gt(passwordResetTokens.expiresAt, now)))
    .limit(1);
  return found.length > 0;
}

export type ResetResult = { ok: true; userId: number } | { ok: false; error: "accounts:errors.linkInvalid" };

/**
 * Sets a new password with a reset link. The token is deleted in the same transaction that reads it
 * (single use, even with two tabs), every other link of the account goes too, and every session ends:
 * whoever knew the old password is out.
 */
export async function resetPassword(db: Db, token: string | undefined, newPassword: string, now = new Date()): Promise<ResetResult> {
  if (!(await resetTokenValid(db, token, now))) return { ok: false, error: "accounts:errors.linkInvalid" };
  const passwordHash = await hashPassword(newPassword);
  const userId = await transaction(db, async (tx) => {
    const [row] = await tx
      .delete(passwordResetTokens)
      .where(and(eq(passwordResetTokens.id, hashToken(token!)), gt(passwordResetTokens.expiresAt, now)))
      .returning({ userId: passwordResetTokens.userId });
    if (!row) return null;
    await tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId));
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, row.userId));
    await endAllSessions(tx, row.userId);
    return row.userId;
  });
  if (userId === null) return { ok: false, error: "accounts:errors.linkInvalid" };
  return { ok: true, userId };
}

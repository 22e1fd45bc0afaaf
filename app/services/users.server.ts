import { eq } from "drizzle-orm";
import { users, type UiLocale, type Role, type TextSize, type User } from "../../db/tables";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { admitSignIn, admitSignUp, attemptCancelled, signInSucceeded, type SignInClient } from "./auth-limits.server";
import { dummyHash, hashPassword, PasswordBusyError, verifyPassword } from "./password.server";

/** A password, or (from a confirmed sign-up, signup.server.ts) the hash made when it was typed. */
export type SignUpInput = ({ password: string } | { passwordHash: string }) & {
  email: string;
  displayName: string;
  locale: UiLocale;
  roles?: Role[];
};

export type SignUpResult =
  | { ok: true; user: User }
  | { ok: false; errors: { email: "errors.emailTaken" } | { form: "http:busy.form" | "http:signIn.tooManySignUps" } };

/**
 * Creates an account at once. The sign-up form does not call this directly: it goes through
 * signup.server.ts (confirm by email), which never tells whether an email is taken. `client` puts the
 * attempt under the sign-up limits; the seed and tests pass none.
 */
export async function signUp(db: Db, input: SignUpInput, client?: { ip: string | null }): Promise<SignUpResult> {
  if (client && !(await admitSignUp(db, input.email, client.ip)).ok) return { ok: false, errors: { form: "http:signIn.tooManySignUps" } };
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) return { ok: false, errors: { email: "errors.emailTaken" } };
  let passwordHash: string;
  try {
    passwordHash = "passwordHash" in input ? input.passwordHash : await hashPassword(input.password);
  } catch (e) {
    if (e instanceof PasswordBusyError) return { ok: false, errors: { form: "http:busy.form" } };
    throw e;
  }
  try {
    const user = writtenRow(
      await db
        .insert(users)
        .values({ email: input.email, passwordHash, displayName: input.displayName, locale: input.locale, roles: input.roles ?? [] })
        .returning(),
    );
    return { ok: true, user };
  } catch (e) {
    // A double submit can pass the check above twice; the unique index decides.
    // (SQLite's code, and PostgreSQL's unique_violation.)
    const code = (e as { code?: string }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return { ok: false, errors: { email: "errors.emailTaken" } };
    throw e;
  }
}

export type SignInResult =
  { ok: true; user: User } | { ok: false; error: "errors.badCredentials" | "http:signIn.tooMany" | "http:busy.form"; retryAfterS?: number };

/**
 * One generic answer for a wrong email or a wrong password. Attempts are counted per address, per
 * (address, account) and per account, or only per device when this browser proved with its device
 * cookie that it signed in to this account before (auth-limits.server.ts). `client` may be a bare
 * address (tests).
 */
export async function signIn(db: Db, email: string, password: string, client: SignInClient | string | null): Promise<SignInResult> {
  const who: SignInClient = typeof client === "string" || client === null ? { ip: client, device: null } : client;
  const admission = await admitSignIn(db, email, who);
  if (!admission.ok) return { ok: false, error: "http:signIn.tooMany", retryAfterS: admission.retryAfterS };
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  let valid: boolean;
  try {
    valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  } catch (e) {
    if (!(e instanceof PasswordBusyError)) throw e;
    await attemptCancelled(db, admission.held);
    return { ok: false, error: "http:busy.form", retryAfterS: 5 };
  }
  if (!user || !valid) return { ok: false, error: "errors.badCredentials" };
  await signInSucceeded(db, admission.held);
  return { ok: true, user };
}

export async function updateProfile(db: Db, userId: number, input: { displayName: string; locale: UiLocale; roles: Role[] }) {
  await db
    .update(users)
    .set({ displayName: input.displayName, locale: input.locale, roles: [...new Set(input.roles)] })
    .where(eq(users.id, userId));
}

export async function setLocale(db: Db, userId: number, locale: UiLocale) {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

export type AccessibilityPrefs = {
  textSize: TextSize;
  highContrast: boolean;
  reducedMotion: boolean;
  speechRate: number;
};

export const DEFAULT_PREFS: AccessibilityPrefs = { textSize: 100, highContrast: false, reducedMotion: false, speechRate: 0.9 };

export function prefsOf(user: User): AccessibilityPrefs {
  return {
    textSize: user.textSize,
    highContrast: user.highContrast,
    reducedMotion: user.reducedMotion,
    speechRate: user.speechRate,
  };
}

export async function updateAccessibility(db: Db, userId: number, prefs: AccessibilityPrefs) {
  await db.update(users).set(prefs).where(eq(users.id, userId));
}

/** The synthetic voice per language (issue 14); parsed by preferences.server.ts's parseVoiceChoices. */
export async function updateVoices(db: Db, userId: number, voices: Record<string, string>) {
  await db.update(users).set({ speechVoices: voices }).where(eq(users.id, userId));
}

export async function getCreatorProfile(db: Db, userId: number) {
  const [profile] = await db
    .select({ id: users.id, displayName: users.displayName, roles: users.roles, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return profile ?? null;
}

import { eq } from "drizzle-orm";
import { users, type Locale, type Role, type TextSize, type User } from "../../db/schema";
import type { Db } from "./db.server";
import { writtenRow } from "./verified-write.server";
import { dummyHash, hashPassword, verifyPassword } from "./password.server";
import { FailureThrottle } from "./throttle.server";

/** A password, or (from a confirmed sign-up, signup.server.ts) the hash made when it was typed. */
export type SignUpInput = ({ password: string } | { passwordHash: string }) & { email: string; displayName: string; locale: Locale; roles?: Role[] };

export type SignUpResult = { ok: true; user: User } | { ok: false; errors: { email: "errors.emailTaken" } };

/**
 * Creates an account at once. The sign-up form does not call this directly: it goes through
 * signup.server.ts (confirm by email), which never tells whether an email is taken.
 */
export async function signUp(db: Db, input: SignUpInput): Promise<SignUpResult> {
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (existing) return { ok: false, errors: { email: "errors.emailTaken" } };
  const passwordHash = "passwordHash" in input ? input.passwordHash : await hashPassword(input.password);
  try {
    const user = writtenRow(
      db.insert(users).values({ email: input.email, passwordHash, displayName: input.displayName, locale: input.locale, roles: input.roles ?? [] }).returning(),
    );
    return { ok: true, user };
  } catch (e) {
    // A double submit can pass the check above twice; the unique index decides.
    if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return { ok: false, errors: { email: "errors.emailTaken" } };
    throw e;
  }
}

const throttle = new FailureThrottle();

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; error: "errors.badCredentials" | "errors.tooManyAttempts" };

/**
 * One generic answer for a wrong email or a wrong password; after a few failures for the same email
 * or address, further attempts are refused until a doubling wait has passed.
 */
export async function signIn(db: Db, email: string, password: string, clientKey: string | null): Promise<SignInResult> {
  const keys = [`e:${email}`, ...(clientKey ? [`c:${clientKey}`] : [])];
  if (keys.some((k) => throttle.delayFor(k) > 0)) return { ok: false, error: "errors.tooManyAttempts" };
  // Counted as a failure before the (slow) check, so parallel guesses cannot all slip past the throttle;
  // a success clears it.
  keys.forEach((k) => throttle.fail(k));
  const user = db.select().from(users).where(eq(users.email, email)).get();
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid) return { ok: false, error: "errors.badCredentials" };
  keys.forEach((k) => throttle.succeed(k));
  return { ok: true, user };
}

export function updateProfile(db: Db, userId: number, input: { displayName: string; locale: Locale; roles: Role[] }) {
  db.update(users)
    .set({ displayName: input.displayName, locale: input.locale, roles: [...new Set(input.roles)] })
    .where(eq(users.id, userId))
    .run();
}

export function setLocale(db: Db, userId: number, locale: Locale) {
  db.update(users).set({ locale }).where(eq(users.id, userId)).run();
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

export function updateAccessibility(db: Db, userId: number, prefs: AccessibilityPrefs) {
  db.update(users).set(prefs).where(eq(users.id, userId)).run();
}

export function getCreatorProfile(db: Db, userId: number) {
  return (
    db
      .select({ id: users.id, displayName: users.displayName, roles: users.roles, createdAt: users.createdAt })
      .from(users)
      .where(eq(users.id, userId))
      .get() ?? null
  );
}

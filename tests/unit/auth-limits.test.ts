import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { first as firstRow } from "../../app/services/data/raw.server";
import { changePassword, deleteAccount } from "../../app/services/accounts.server";
import { admitSignIn, admitSignUp, REAUTH_LIMIT, SIGN_IN_LIMITS, SIGN_UP_LIMITS } from "../../app/services/auth-limits.server";
import { take } from "../../app/services/http/rate-limit.server";
import { deviceCookie, trustedDevice } from "../../app/services/device-cookie.server";
import {
  HASH_CONCURRENCY,
  HASH_QUEUE_MAX,
  hashPassword,
  hashQueue,
  PasswordBusyError,
  verifyPassword,
} from "../../app/services/password.server";
import { signIn, signUp } from "../../app/services/users.server";
import { reconnect } from "../support/reconnect";
import { testDb } from "./helpers";

// scrypt at OWASP's cost takes a second or more on a busy machine, so failed attempts are taken straight
// from the real limiters (admitSignIn, as signIn does before hashing) and only the decisive sign-ins hash.
const PW = "long enough pw";
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;
const pointsOf = async (db: Db, key: string) =>
  (await firstRow<{ points: number }>(db, sql`SELECT points FROM rate_limit WHERE key = ${key}`))?.points ?? 0;

describe("sign-in limits (stored in SQLite)", () => {
  it("limits failures from one address whatever the email, and other addresses still sign in", async () => {
    const db = await testDb();
    await signUp(db, { email: "owner@example.com", password: PW, displayName: "Owner", locale: "en" });
    // A flood of guesses at random emails from one address: each takes its points and, failing, keeps them.
    const flood = [];
    for (let i = 0; i < SIGN_IN_LIMITS.address.points + 5; i++)
      flood.push(await admitSignIn(db, `random${i}@example.com`, { ip: "10.0.0.66", device: null }));
    expect(flood.slice(0, SIGN_IN_LIMITS.address.points).every((a) => a.ok)).toBe(true);
    expect(flood.at(-1)).toMatchObject({ ok: false });
    // Even the right password from that address waits now (refused before any hashing)…
    expect(await signIn(db, "owner@example.com", PW, "10.0.0.66")).toMatchObject({ ok: false, error: "http:signIn.tooMany" });
    // …the owner elsewhere is not affected…
    expect((await signIn(db, "owner@example.com", PW, "10.0.0.7")).ok).toBe(true);
    // …and the counters are rows in the app's database: another connection (a worker, a restart) sees the block.
    const { again, close } = await reconnect(db);
    expect(await signIn(again, "owner@example.com", PW, "10.0.0.66")).toMatchObject({ ok: false, error: "http:signIn.tooMany" });
    await close();
  });

  it("a real wrong password counts; the right one clears the (address, account) counter", async () => {
    const db = await testDb();
    await signUp(db, { email: "cy@example.com", password: PW, displayName: "Cy", locale: "en" });
    expect(await signIn(db, "cy@example.com", "wrong wrong", "10.9.9.9")).toEqual({ ok: false, error: "errors.badCredentials" });
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.addressAccount.keyPrefix}:10.9.9.9:cy@example.com`)).toBe(1);
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.account.keyPrefix}:cy@example.com`)).toBe(1);
    expect((await signIn(db, "cy@example.com", PW, "10.9.9.9")).ok).toBe(true);
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.addressAccount.keyPrefix}:10.9.9.9:cy@example.com`)).toBe(0);
    // The account's count of failures is not wiped by a success (that would hand a guesser new tries).
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.account.keyPrefix}:cy@example.com`)).toBe(1);
  });

  it("locks an account against new devices after many failures, but never the owner's own device", async () => {
    const db = await testDb();
    await signUp(db, { email: "maria@example.com", password: PW, displayName: "María", locale: "es" });
    // The owner signed in on her tablet before: it got a device cookie.
    const first = new Request("http://localhost/login");
    expect((await signIn(db, "maria@example.com", PW, { ip: "10.0.0.1", device: trustedDevice(first, "maria@example.com") })).ok).toBe(
      true,
    );
    const tablet = new Request("http://localhost/login", { headers: { Cookie: cookieOf(deviceCookie(first, "maria@example.com")) } });
    const device = trustedDevice(tablet, "maria@example.com");
    expect(device).toMatch(/^[A-Za-z0-9_-]{22}$/);

    // Someone who knows her email guesses from many addresses, until the account refuses new devices.
    for (let i = 0; i < SIGN_IN_LIMITS.account.points; i++)
      expect((await admitSignIn(db, "maria@example.com", { ip: `192.0.2.${i}`, device: null })).ok).toBe(true);
    expect(await signIn(db, "maria@example.com", PW, "198.51.100.9")).toMatchObject({ ok: false, error: "http:signIn.tooMany" });
    // Her tablet, even from an address the guesses came from, still signs in.
    expect((await signIn(db, "maria@example.com", PW, { ip: "192.0.2.1", device })).ok).toBe(true);
  });

  it("does not refuse parallel correct sign-ins, and gives every point back", async () => {
    const db = await testDb();
    await signUp(db, { email: "ana@example.com", password: PW, displayName: "Ana", locale: "en" });
    const results = await Promise.all(Array.from({ length: 6 }, () => signIn(db, "ana@example.com", PW, "10.1.1.1")));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.account.keyPrefix}:ana@example.com`)).toBe(0);
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.address.keyPrefix}:10.1.1.1`)).toBe(0);
  });

  it("limits sign-ups per address", async () => {
    const db = await testDb();
    for (let i = 0; i < SIGN_UP_LIMITS.address.points; i++)
      expect((await admitSignUp(db, `new${i}@example.com`, "10.3.0.1")).ok).toBe(true);
    expect(await signUp(db, { email: "one-more@example.com", password: PW, displayName: "N", locale: "en" }, { ip: "10.3.0.1" })).toEqual({
      ok: false,
      errors: { form: "http:signIn.tooManySignUps" },
    });
    expect((await signUp(db, { email: "other@example.com", password: PW, displayName: "O", locale: "en" }, { ip: "10.3.0.2" })).ok).toBe(
      true,
    );
  });
});

describe("password hashing queue", () => {
  it("runs at most HASH_CONCURRENCY at once, answers busy past HASH_QUEUE_MAX waiting, and a busy sign-in costs no points", async () => {
    const db = await testDb();
    await signUp(db, { email: "bo@example.com", password: PW, displayName: "Bo", locale: "en" });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let running = 0;
    let most = 0;
    const blockers = Array.from({ length: HASH_CONCURRENCY + HASH_QUEUE_MAX }, () =>
      hashQueue.add(async () => {
        most = Math.max(most, ++running);
        await gate;
        running--;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    await expect(hashPassword("anything at all")).rejects.toBeInstanceOf(PasswordBusyError);
    expect(await signIn(db, "bo@example.com", PW, "10.4.0.1")).toMatchObject({ ok: false, error: "http:busy.form" });
    expect(await pointsOf(db, `${SIGN_IN_LIMITS.account.keyPrefix}:bo@example.com`)).toBe(0);
    release();
    await Promise.all(blockers);
    expect(most).toBe(HASH_CONCURRENCY);
    expect((await signIn(db, "bo@example.com", PW, "10.4.0.1")).ok).toBe(true);
  });
});

describe("device cookie", () => {
  it("proves one device for one account only, and cannot be forged", async () => {
    await testDb();
    const set = deviceCookie(new Request("http://localhost/login"), "a@example.com");
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    const req = new Request("http://localhost/login", { headers: { Cookie: cookieOf(set) } });
    expect(trustedDevice(req, "A@example.com")).not.toBeNull();
    expect(trustedDevice(req, "b@example.com")).toBeNull();
    const [name, value] = cookieOf(set).split("=") as [string, string];
    const forged = `${value.slice(0, 30)}${value[30] === "A" ? "B" : "A"}${value.slice(31)}`;
    expect(trustedDevice(new Request("http://localhost/", { headers: { Cookie: `${name}=${forged}` } }), "a@example.com")).toBeNull();
    // A second account on the same browser keeps the first one's token.
    const both = new Request("http://localhost/", { headers: { Cookie: cookieOf(deviceCookie(req, "b@example.com")) } });
    expect(trustedDevice(both, "a@example.com")).toBe(trustedDevice(req, "a@example.com"));
    expect(trustedDevice(both, "b@example.com")).not.toBeNull();
  });
});

describe("current-password checks of a signed-in person (change password, delete account)", () => {
  it("counts wrong passwords per account and, past the limit, refuses even the right one without checking it", async () => {
    const db = await testDb();
    const made = await signUp(db, { email: "cy@example.com", password: PW, displayName: "Cy", locale: "en" });
    if (!made.ok) throw new Error("sign-up failed");
    const me = made.user;
    const request = new Request("http://localhost/settings/password");
    const wrong = await changePassword(db, request, me, "not my password", "a new long password");
    expect(wrong).toEqual({ ok: false, errors: { currentPassword: "accounts:errors.wrongPassword" } });
    expect(await pointsOf(db, `${REAUTH_LIMIT.keyPrefix}:${me.id}`)).toBe(1);
    // The rest of the allowance used up (as by a script holding a stolen session):
    for (let i = 1; i < REAUTH_LIMIT.points; i++) await take(db, REAUTH_LIMIT, String(me.id));
    expect(await changePassword(db, request, me, PW, "a new long password")).toEqual({
      ok: false,
      errors: { currentPassword: "http:reauth.tooMany" },
    });
    expect(await deleteAccount(db, me, PW)).toEqual({ ok: false, errors: { password: "http:reauth.tooMany" } });
    expect(
      await verifyPassword(PW, (await firstRow<{ h: string }>(db, sql`SELECT password_hash AS h FROM "user" WHERE id = ${me.id}`))!.h),
    ).toBe(true);
  });
});

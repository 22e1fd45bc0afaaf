import { describe, expect, it } from "vitest";
import { signIn, signUp, updateProfile } from "../../app/services/users.server";
import { hashPassword, verifyPassword } from "../../app/services/password.server";
import { createSession, getUser, destroySession, safeRedirect } from "../../app/services/session.server";
import { testDb } from "./helpers";

describe("passwords", () => {
  it("hashes with scrypt and verifies only the right password", async () => {
    const h = await hashPassword("correct horse battery");
    expect(h.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("correct horse battery", h)).toBe(true);
    expect(await verifyPassword("correct horse batterY", h)).toBe(false);
  });
});

describe("sign up and sign in", () => {
  it("creates an account, refuses a second with the same email, and signs in", async () => {
    const db = await testDb();
    const a = await signUp(db, {
      email: "ana@example.com",
      password: "long enough pw",
      displayName: "Ana",
      locale: "es",
      roles: ["relative"],
    });
    expect(a.ok).toBe(true);
    const again = await signUp(db, { email: "ana@example.com", password: "another one!!", displayName: "Ana 2", locale: "en" });
    expect(again).toEqual({ ok: false, errors: { email: "errors.emailTaken" } });
    const ok = await signIn(db, "ana@example.com", "long enough pw", "c1");
    expect(ok.ok && ok.user.locale).toBe("es");
  });

  it("gives one generic answer for an unknown email and a wrong password", async () => {
    const db = await testDb();
    await signUp(db, { email: "bo@example.com", password: "long enough pw", displayName: "Bo", locale: "en" });
    const wrongPw = await signIn(db, "bo@example.com", "nope nope nope", "c2");
    const noUser = await signIn(db, "nobody@example.com", "nope nope nope", "c3");
    expect(wrongPw).toEqual({ ok: false, error: "errors.badCredentials" });
    expect(noUser).toEqual(wrongPw);
  });

  it("updates the profile with unique roles", async () => {
    const db = await testDb();
    const r = await signUp(db, { email: "di@example.com", password: "long enough pw", displayName: "Di", locale: "en" });
    if (!r.ok) throw new Error();
    await updateProfile(db, r.user.id, { displayName: "Dee", locale: "es", roles: ["therapist", "creator", "therapist"] });
    const s = await signIn(db, "di@example.com", "long enough pw", "c9");
    expect(s.ok && [s.user.displayName, s.user.locale, s.user.roles]).toEqual(["Dee", "es", ["therapist", "creator"]]);
  });
});

describe("sessions", () => {
  it("sets an HttpOnly SameSite=Lax cookie, Secure only over https, and ends on sign-out", async () => {
    const db = await testDb();
    const r = await signUp(db, { email: "ed@example.com", password: "long enough pw", displayName: "Ed", locale: "en" });
    if (!r.ok) throw new Error();
    const http = await createSession(db, new Request("http://localhost/login"), r.user.id);
    expect(http).toMatch(/HttpOnly/);
    expect(http).toMatch(/SameSite=Lax/);
    expect(http).not.toMatch(/Secure/);
    const https = await createSession(db, new Request("https://tablero.example/login"), r.user.id);
    expect(https).toMatch(/Secure/);
    const token = http.split(";")[0]!;
    const req = new Request("http://localhost/", { headers: { Cookie: token } });
    expect((await getUser(db, req))?.id).toBe(r.user.id);
    await destroySession(db, req);
    expect(await getUser(db, req)).toBeNull();
    expect(await getUser(db, new Request("http://localhost/", { headers: { Cookie: "tablero_session=forged" } }))).toBeNull();
  });

  it("only redirects to same-site paths", () => {
    expect(safeRedirect("/boards/1")).toBe("/boards/1");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect(null)).toBe("/");
  });
});

describe("redirects and cookies from the outside", () => {
  it("refuses redirects that a browser would read as another site", () => {
    for (const bad of ["/\t/evil.example", "/\\evil.example", "/\n/evil.example", "//evil.example/x"]) expect(safeRedirect(bad)).toBe("/");
    expect(safeRedirect("/search?q=a%20b")).toBe("/search?q=a%20b");
  });

  it("treats a malformed cookie as no cookie", async () => {
    const db = await testDb();
    expect(await getUser(db, new Request("http://localhost/", { headers: { Cookie: "tablero_session=%E0%A4%A" } }))).toBeNull();
  });
});

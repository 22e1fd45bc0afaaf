import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readForm } from "../../app/services/form.server";
import { REFUSAL_HEADER } from "../../app/services/http/error-page";
import { errorText } from "../../app/lib/error-message";
import { i18nFor, supportedLngs } from "../../app/i18n";

const post = (body: string, type: string, signal?: AbortSignal) =>
  new Request("http://localhost/login", { method: "POST", headers: { "Content-Type": type }, body, signal });

// A multipart body cut before its closing boundary, as a broken client or a probe sends it.
const CUT = '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc';

describe("readForm: a form that cannot be read is a 400, not the 500 page", () => {
  it("reads a whole form as request.formData() does", async () => {
    const form = await readForm(post("email=a%40b.example&name=Mar%C3%ADa", "application/x-www-form-urlencoded"));
    expect(form.get("email")).toBe("a@b.example");
    expect(form.get("name")).toBe("María");
    const whole = await readForm(post(`${CUT}\r\n--XYZ--\r\n`, "multipart/form-data; boundary=XYZ"));
    expect(whole.get("email")).toBe("abc");
  });

  it("throws a 400 Response asking for the 'badForm' page on a cut multipart body or an unreadable type", async () => {
    for (const request of [post(CUT, "multipart/form-data; boundary=XYZ"), post("{}", "application/json")]) {
      const thrown = await readForm(request).then(
        () => null,
        (e: unknown) => e,
      );
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(400);
      expect((thrown as Response).headers.get(REFUSAL_HEADER)).toBe("badForm");
    }
  });

  it("keeps broken percent-escapes as text instead of failing", async () => {
    const form = await readForm(post("email=%E0%A4%A&password=%zz%", "application/x-www-form-urlencoded"));
    expect(form.get("password")).toBe("%zz%");
  });

  it("lets an aborted request's error through untouched (a body cut at its size limit is a 413, not a 400)", async () => {
    const controller = new AbortController();
    const request = post(CUT, "multipart/form-data; boundary=XYZ", controller.signal);
    controller.abort();
    const thrown = await readForm(request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).not.toBeNull();
    expect(thrown).not.toBeInstanceOf(Response);
  });

  it("is the only place in app/ that calls request.formData()", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const direct = files("app").filter((f) => !f.endsWith("form.server.ts") && /\.formData\(\)/.test(readFileSync(f, "utf8")));
    expect(direct).toEqual([]);
  });
});

describe("the 413 wording of a form with no file", () => {
  it("says the text was too long and names the limit, in every language, without asking for a smaller picture", () => {
    const picture: Record<string, RegExp> = { en: /picture/, es: /imagen/, fr: /image/, de: /Bild/, ar: /صورة/ };
    for (const lng of supportedLngs) {
      const t = i18nFor(lng).getFixedT(lng, "common") as unknown as (key: string, o?: Record<string, unknown>) => string;
      const text = errorText(t, "http:tooLong.form?kb=64");
      expect(text, lng).toMatch(/64/);
      expect(text, lng).not.toMatch(picture[lng]!);
      expect(text).not.toContain("{{");
      // The upload forms keep the picture-or-file wording.
      expect(t("http:tooLarge.form"), lng).toMatch(picture[lng]!);
    }
  });
});

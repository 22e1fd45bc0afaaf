import { describe, expect, it } from "vitest";
import { errorKind } from "../../app/lib/error-kind";
import en from "../../locales/en/common.json";
import es from "../../locales/es/common.json";

// What Remix hands the boundary for a thrown Response / data(): an ErrorResponse.
const thrown = (status: number, data: unknown = "") => ({ status, statusText: "", internal: false, data });

describe("one error boundary, a page per status", () => {
  it("maps statuses to their own pages; a 400 is not the 500 page", () => {
    expect(errorKind(thrown(400))).toBe("badRequest");
    expect(errorKind(thrown(403))).toBe("forbidden");
    expect(errorKind(thrown(404))).toBe("notFound");
    expect(errorKind(thrown(413))).toBe("tooLarge");
    expect(errorKind(thrown(503, { notSaved: true }))).toBe("notSaved");
    expect(errorKind(thrown(500))).toBe("server");
    expect(errorKind(new Error("boom"))).toBe("server");
  });

  it("every page has its title and text in both languages, and the 500 page no longer promises nothing was lost", () => {
    for (const kind of ["badRequest", "forbidden", "notFound", "tooLarge", "notSaved", "server"]) {
      for (const page of [en.errorPage, es.errorPage] as Record<string, string>[]) {
        expect(page[`${kind}Title`], kind).toBeTruthy();
        expect(page[`${kind}Body`], kind).toBeTruthy();
      }
    }
    expect(en.errorPage.serverBody).not.toMatch(/Nothing you saved was lost/i);
    expect(es.errorPage.serverBody).not.toMatch(/no se ha perdido/i);
  });
});

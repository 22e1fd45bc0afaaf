import { describe, expect, it } from "vitest";
import { formId, idParam } from "~/services/request.server";

const status = (f: () => unknown) => {
  try {
    f();
    return 200;
  } catch (e) {
    return (e as Response).status;
  }
};

describe("ids from the request", () => {
  it("a route param that is not a positive integer is a 404", () => {
    expect(idParam("12")).toBe(12);
    for (const bad of [undefined, "0", "-3", "1.5", "abc", "9007199254740993"]) expect(status(() => idParam(bad))).toBe(404);
  });

  it("a missing or malformed id in a posted form is a 400, not a 404", () => {
    const form = new FormData();
    form.set("boardId", "7");
    form.set("odd", "seven");
    expect(formId(form, "boardId")).toBe(7);
    expect(status(() => formId(form, "missing"))).toBe(400);
    expect(status(() => formId(form, "odd"))).toBe(400);
  });
});

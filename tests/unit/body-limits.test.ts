import { describe, expect, it } from "vitest";
import { BODY_LIMITS, bodyLimitFor, DEFAULT_BODY_LIMIT, routePath, sendsFile } from "../../app/services/http/body-limits";
import { MAX_UPLOAD_BYTES } from "../../app/services/images.server";
import { MAX_STORY_BODY } from "../../app/services/stories.server";

describe("the table of body limits", () => {
  it("maps Remix's data requests to their route", () => {
    expect(routePath("/login.data")).toBe("/login");
    expect(routePath("/_root.data")).toBe("/");
    expect(routePath("/boards/7/cards/new.data")).toBe("/boards/7/cards/new");
    expect(routePath("/import/")).toBe("/import");
  });

  it("is small for forms and the API, and larger only where pictures and files are sent", () => {
    expect(DEFAULT_BODY_LIMIT).toBe(64 * 1024);
    expect(bodyLimitFor("/login")).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("/logout")).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("/api/engagement")).toBe(64 * 1024);
    expect(bodyLimitFor("/boards/new")).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("/boards/3/cards/new.data")).toBeGreaterThan(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("/boards/3/cards/new/x")).toBe(DEFAULT_BODY_LIMIT);
  });

  it("never cuts below what a form accepts and explains itself (so the form's own message can show)", () => {
    expect(bodyLimitFor("/boards/1/cards/new")).toBeGreaterThanOrEqual(MAX_UPLOAD_BYTES * 4);
    expect(bodyLimitFor("/cards/1/edit")).toBeGreaterThanOrEqual(MAX_UPLOAD_BYTES * 4);
    expect(bodyLimitFor("/stories/new")).toBeGreaterThanOrEqual(MAX_STORY_BODY);
    expect(bodyLimitFor("/stories/5/edit")).toBeGreaterThanOrEqual(MAX_STORY_BODY);
    expect(bodyLimitFor("/import")).toBeGreaterThanOrEqual(2 * 5 * 1024 * 1024);
    for (const r of BODY_LIMITS) expect(r.bytes).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it("knows which forms send a picture or file, so a 413 on the others says the text was too long", () => {
    for (const path of ["/boards/3/cards/new", "/cards/3/edit.data", "/stories/new", "/stories/2/edit", "/cards/4/voice", "/import"]) {
      expect(sendsFile(path), path).toBe(true);
    }
    for (const path of ["/boards/new", "/boards/new.data", "/workshops/new", "/boards/3/edit", "/login", "/api/engagement"]) {
      expect(sendsFile(path), path).toBe(false);
    }
  });
});

import { existsSync, readdirSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { images } from "../../db/tables";
import { imageDir } from "../../db/paths";
import { imagePath, storeUpload } from "../../app/services/images.server";
import { fileOf, pngBytes, testDb } from "./helpers";

describe("storeUpload", () => {
  it("takes PNG, JPEG, WebP and GIF by their bytes, re-encodes to WebP and resizes large pictures", async () => {
    const db = await testDb();
    const big = sharp({ create: { width: 3000, height: 1500, channels: 3, background: "#cc3333" } });
    for (const [fmt, type] of [
      ["png", "image/png"],
      ["jpeg", "image/jpeg"],
      ["webp", "image/webp"],
      ["gif", "image/gif"],
    ] as const) {
      const bytes = await big.clone().toFormat(fmt).toBuffer();
      const r = await storeUpload(db, fileOf(bytes, `pic.${fmt}`, type));
      expect(r.ok, fmt).toBe(true);
      if (!r.ok) continue;
      expect(r.image.key).toMatch(/^[a-f0-9]{64}\.webp$/);
      expect(Math.max(r.image.width, r.image.height)).toBe(1024);
      const stored = await sharp(imagePath(r.image.key)!).metadata();
      expect(stored.format).toBe("webp");
    }
  });

  it("refuses bytes that are not the picture type they claim", async () => {
    const db = await testDb();
    const png = await pngBytes();
    expect(await storeUpload(db, fileOf(png, "pic.jpg", "image/jpeg"))).toEqual({ ok: false, error: "errors.imageMismatch" });
    expect(await storeUpload(db, fileOf(Buffer.from("<html>not a picture</html>"), "pic.png", "image/png"))).toEqual({
      ok: false,
      error: "errors.imageMismatch",
    });
  });

  it("refuses types we do not take, empty files and files over 5 MB, saving nothing", async () => {
    const db = await testDb();
    const tiff = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } })
      .tiff()
      .toBuffer();
    expect(await storeUpload(db, fileOf(tiff, "pic.tiff", "image/tiff"))).toEqual({ ok: false, error: "errors.imageType" });
    expect(await storeUpload(db, fileOf(Buffer.from("%PDF-1.4"), "doc.pdf", "application/pdf"))).toEqual({
      ok: false,
      error: "errors.imageType",
    });
    expect(await storeUpload(db, null)).toEqual({ ok: false, error: "errors.imageRequired" });
    const huge = Buffer.concat([await pngBytes(), Buffer.alloc(5 * 1024 * 1024)]);
    expect(await storeUpload(db, fileOf(huge, "big.png", "image/png"))).toEqual({ ok: false, error: "errors.imageTooLarge" });
    expect(await db.select().from(images)).toHaveLength(0);
    expect(existsSync(imageDir()) ? readdirSync(imageDir()) : []).toHaveLength(0);
  });

  it("only serves keys that look like stored images", () => {
    expect(imagePath("../../etc/passwd")).toBeNull();
    expect(imagePath("a".repeat(64) + ".webp")).not.toBeNull();
  });
});

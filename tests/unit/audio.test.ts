import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { audioClips, boardPins, pins, stories, storyPages, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { MAX_AUDIO_BODY, MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS } from "../../app/lib/audio-limits";
import { checkAudio } from "../../app/services/audio/check.server";
import { audioDir, audioPath, CARD_PAGE, deleteClip, saveClip, voicesFor, voicesOf } from "../../app/services/audio/clips.server";
import { byteRange } from "../../app/services/audio/range.server";
import { voiceAction } from "../../app/services/audio/voice-page.server";
import { bodyLimitFor } from "../../app/services/http/body-limits";
import { permissionsPolicy } from "../../app/services/http/security-headers";
import { makeUser, testDb } from "./helpers";

/**
 * A real WAV file written by hand: RIFF header, "fmt " (PCM), "data". `tone` varies the samples, so
 * two files of the same length have different bytes (and keys).
 */
function wav(seconds: number, { rate = 8000, bits = 8, tone = 1 } = {}): Buffer {
  const bytesPerSample = bits / 8;
  const n = Math.round(seconds * rate);
  const data = Buffer.alloc(n * bytesPerSample);
  for (let i = 0; i < n; i++) {
    const v = Math.sin((i * tone * 2 * Math.PI * 440) / rate);
    if (bits === 8) data[i] = Math.round(128 + 100 * v);
    else data.writeInt16LE(Math.round(20000 * v), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * bytesPerSample, 28);
  h.writeUInt16LE(bytesPerSample, 32);
  h.writeUInt16LE(bits, 34);
  h.write("data", 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
/** What Chromium's MediaRecorder made from its fake microphone (1.4 s of WebM/Opus), kept as a fixture. */
const recorded = () => readFileSync(join(__dirname, "../support/audio/recorded-chromium.webm"));

describe("the limits", () => {
  it("are 2 MB and 60 s, and the server's body limit for the recording page lets the form explain larger files", () => {
    expect(MAX_AUDIO_BYTES).toBe(2 * 1024 * 1024);
    expect(MAX_AUDIO_SECONDS).toBe(60);
    expect(bodyLimitFor("/cards/12/voice")).toBeGreaterThanOrEqual(MAX_AUDIO_BODY);
    expect(MAX_AUDIO_BODY).toBeGreaterThan(MAX_AUDIO_BYTES + 64 * 1024);
    expect(bodyLimitFor("/cards/12/voice.data")).toBe(bodyLimitFor("/cards/12/voice"));
  });
});

describe("checkAudio (by the bytes)", () => {
  it("takes a PCM WAV and a WebM/Opus recording, with their real type and length", async () => {
    const a = await checkAudio(wav(1.5));
    expect(a).toEqual({ ok: true, audio: { mime: "audio/wav", ext: "wav", durationMs: 1500 } });
    const b = await checkAudio(recorded());
    expect(b.ok).toBe(true);
    if (b.ok) {
      expect(b.audio.mime).toBe("audio/webm");
      expect(b.audio.durationMs).toBeGreaterThan(1000);
      expect(b.audio.durationMs).toBeLessThan(2000);
    }
  });

  it("refuses a text file named .mp3, an empty file, a picture, and a WAV that is not PCM", async () => {
    expect(await checkAudio(Buffer.from("ID3? no, just some words in a file called word.mp3\n".repeat(20)))).toEqual({
      ok: false,
      error: "voice:errors.notAudio",
    });
    expect(await checkAudio(new Uint8Array())).toEqual({ ok: false, error: "voice:errors.required" });
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
    expect((await checkAudio(png)).ok).toBe(false);
    const notPcm = wav(1);
    notPcm.writeUInt16LE(3, 20); // IEEE float: a WAV, but not one we take
    expect(await checkAudio(notPcm)).toEqual({ ok: false, error: "voice:errors.notAudio" });
  });

  it("refuses a recording over 60 s and a file over 2 MB, each with its own message", async () => {
    const long = wav(61);
    expect(long.length).toBeLessThan(MAX_AUDIO_BYTES); // refused for its length, not its size
    expect(await checkAudio(long)).toEqual({ ok: false, error: "voice:errors.tooLong" });
    expect((await checkAudio(wav(60))).ok).toBe(true);
    const big = wav(40, { rate: 32000, bits: 16 });
    expect(big.length).toBeGreaterThan(MAX_AUDIO_BYTES);
    expect(await checkAudio(big)).toEqual({ ok: false, error: "voice:errors.tooLarge" });
  });
});

describe("recordings on cards and story pages", () => {
  let db: Db;
  let creator: User;
  let other: User;
  let card: number;
  let story: number;
  beforeAll(async () => {
    db = await testDb();
    creator = await makeUser(db, "Creator");
    other = await makeUser(db, "Other");
    const base = { creatorId: creator.id, lang: "en" as const, imageKey: "x.webp", imageWidth: 1, imageHeight: 1, alt: "Drawing" };
    card = (
      await db
        .insert(pins)
        .values({ ...base, title: "bread" })
        .returning({ id: pins.id })
    )[0]!.id;
    story = (
      await db
        .insert(pins)
        .values({ ...base, title: "My day", kind: "story" })
        .returning({ id: pins.id })
    )[0]!.id;
    await db.insert(stories).values({ pinId: story });
    // The card is on a public board (anyone may record their own voice on it); the story is the creator's alone.
    const board = await createBoard(db, creator.id, { title: "Food", description: "", lang: "en", visibility: "public" });
    await db.insert(boardPins).values({ boardId: board.id, pinId: card, position: 0, savedBy: creator.id });
    await db
      .insert(storyPages)
      .values(
        [0, 1].map((position) => ({ pinId: story, position, imageKey: "x.webp", imageWidth: 1, imageHeight: 1, alt: "p", text: "t" })),
      );
  });

  it("stores the bytes under their hash beside the pictures, replaces a recording, and deletes its file", async () => {
    const slot = { ownerId: creator.id, pinId: card, page: CARD_PAGE, kind: "word" as const };
    const first = await saveClip(db, slot, wav(1));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.key).toMatch(/^[a-f0-9]{64}\.wav$/);
    expect(audioPath(first.key)).toBe(join(audioDir(), first.key));
    expect(readFileSync(audioPath(first.key)!)).toEqual(wav(1));
    const second = await saveClip(db, slot, wav(2, { tone: 2 }));
    if (!second.ok) throw new Error("not saved");
    expect(existsSync(audioPath(first.key)!)).toBe(false);
    const rows = await db
      .select()
      .from(audioClips)
      .where(and(eq(audioClips.pinId, card), eq(audioClips.ownerId, creator.id)));
    expect(rows.map((r) => [r.kind, r.key, r.mime, r.durationMs])).toEqual([["word", second.key, "audio/wav", 2000]]);
    expect(await deleteClip(db, slot)).toBe(true);
    expect(existsSync(audioPath(second.key)!)).toBe(false);
    expect(await deleteClip(db, slot)).toBe(false);
  });

  it("keeps nothing when the bytes are refused", async () => {
    const r = await saveClip(db, { ownerId: creator.id, pinId: card, page: CARD_PAGE, kind: "cue" }, Buffer.from("not audio"));
    expect(r).toEqual({ ok: false, error: "voice:errors.notAudio" });
    expect(await db.select().from(audioClips).where(eq(audioClips.kind, "cue"))).toEqual([]);
  });

  it("plays the viewer's own recording, else the creator's; never a third person's", async () => {
    const mine = await saveClip(db, { ownerId: creator.id, pinId: card, page: CARD_PAGE, kind: "word" }, wav(1, { tone: 3 }));
    const theirs = await saveClip(db, { ownerId: other.id, pinId: card, page: CARD_PAGE, kind: "word" }, wav(1, { tone: 4 }));
    if (!mine.ok || !theirs.ok) throw new Error("not saved");
    expect((await voicesOf(db, card, null)).word).toBe(`/audio/${mine.key}`);
    expect((await voicesOf(db, card, creator.id)).word).toBe(`/audio/${mine.key}`);
    expect((await voicesOf(db, card, other.id)).word).toBe(`/audio/${theirs.key}`);
    const stranger = await makeUser(db, "Stranger");
    expect((await voicesOf(db, card, stranger.id)).word).toBe(`/audio/${mine.key}`);
    await deleteClip(db, { ownerId: creator.id, pinId: card, page: CARD_PAGE, kind: "word" });
    expect((await voicesOf(db, card, stranger.id)).word).toBeNull();
    expect((await voicesFor(db, [card, story], other.id)).get(card)?.word).toBe(`/audio/${theirs.key}`);
  });

  function post(cardId: number, fields: Record<string, string | File>, headers: Record<string, string> = {}) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    return new Request(`http://x/cards/${cardId}/voice`, { method: "POST", body: fd, headers });
  }
  const file = (b: Uint8Array, name: string, type: string) => new File([new Uint8Array(b)], name, { type });

  it("the page's form: saves a story page's recording, and explains each refusal", async () => {
    const ok = await voiceAction(
      db,
      creator,
      story,
      null,
      post(story, { slot: "page:1", audio: file(recorded(), "recording.webm", "audio/webm") }),
    );
    expect(ok).toEqual({ ok: true, intent: "save", slot: "page:1" });
    expect((await voicesOf(db, story, null)).pages[1]).toMatch(/^\/audio\/[a-f0-9]{64}\.webm$/);

    const cases: [Record<string, string | File>, string][] = [
      [{ slot: "word", audio: file(Buffer.from("hello"), "word.mp3", "audio/mpeg") }, "voice:errors.notAudio"],
      [{ slot: "word", audio: file(wav(61), "long.wav", "audio/wav") }, "voice:errors.tooLong"],
      [{ slot: "word", audio: file(Buffer.alloc(MAX_AUDIO_BYTES + 1), "big.wav", "audio/wav") }, "voice:errors.tooLarge"],
      [{ slot: "word" }, "voice:errors.required"],
      [{ slot: "page:7", audio: file(wav(1), "a.wav", "audio/wav") }, "voice:errors.badSlot"],
    ];
    for (const [fields, error] of cases) {
      const r = await voiceAction(db, creator, story, null, post(story, fields));
      expect(r.ok ? "saved" : r.error, error).toBe(error);
    }
    // A page slot only exists on a story.
    const r = await voiceAction(db, creator, card, null, post(card, { slot: "page:0", audio: file(wav(1), "a.wav", "audio/wav") }));
    expect(r.ok ? "saved" : r.error).toBe("voice:errors.badSlot");
  });

  it("refuses a body far over the limit before reading it", async () => {
    const req = new Request(`http://x/cards/${card}/voice`, {
      method: "POST",
      headers: { "Content-Length": String(MAX_AUDIO_BODY + 1) },
      body: new ReadableStream({ pull: () => Promise.reject(new Error("the body was read")) }),
      duplex: "half",
    } as RequestInit);
    expect(await voiceAction(db, creator, card, null, req)).toMatchObject({ ok: false, error: "voice:errors.tooLarge" });
  });

  it("deletes through the form, and a card the person cannot see is a 404", async () => {
    await voiceAction(db, other, card, null, post(card, { slot: "cue", audio: file(wav(1, { tone: 5 }), "a.wav", "audio/wav") }));
    expect((await voicesOf(db, card, other.id)).cue).not.toBeNull();
    expect(await voiceAction(db, other, card, null, post(card, { slot: "cue", intent: "delete" }))).toEqual({
      ok: true,
      intent: "delete",
      slot: "cue",
    });
    expect((await voicesOf(db, card, other.id)).cue).toBeNull();
    const privateCard = (
      await db
        .insert(pins)
        .values({ creatorId: creator.id, lang: "en", imageKey: "x.webp", imageWidth: 1, imageHeight: 1, alt: "a", title: "secret" })
        .returning({ id: pins.id })
    )[0]!.id;
    await expect(
      voiceAction(db, other, privateCard, null, post(privateCard, { slot: "word", audio: file(wav(1), "a.wav", "audio/wav") })),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("serving and headers", () => {
  it("answers byte ranges as browsers ask for them", () => {
    expect(byteRange(null, 100)).toBeNull();
    expect(byteRange("bytes=0-1", 100)).toEqual([0, 1]);
    expect(byteRange("bytes=10-", 100)).toEqual([10, 99]);
    expect(byteRange("bytes=-10", 100)).toEqual([90, 99]);
    expect(byteRange("bytes=0-500", 100)).toEqual([0, 99]);
    expect(byteRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(byteRange("bytes=0-1,5-6", 100)).toBeNull();
  });

  it("allows the microphone only on the recording page", () => {
    expect(permissionsPolicy("/cards/5/voice")).toContain("microphone=(self)");
    for (const path of ["/", "/cards/5", "/cards/5/edit", "/settings", "/boards/1/practice", "/cards/5/voice/x", "/xcards/5/voice"]) {
      expect(permissionsPolicy(path), path).toContain("microphone=()");
    }
    expect(permissionsPolicy("/cards/5/voice")).toContain("camera=()");
  });
});

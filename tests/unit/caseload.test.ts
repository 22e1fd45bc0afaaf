import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { eq } from "drizzle-orm";
import { assignments, reviewLogs, users, type User } from "../../db/tables";
import { createBoard } from "../../app/services/boards.server";
import { createCard } from "../../app/services/cards.server";
import { storeImage } from "../../app/services/images.server";
import { answerInvitation, inviteToPractise, ratePin, revokeAccess } from "../../app/services/practice.server";
import { createInvite, createWorkshop, joinWithInvite, leaveWorkshop } from "../../app/services/workshops.server";
import { createAssignment } from "../../app/services/workshop-sessions.server";
import { caseloadLearners, learnerOpenTo } from "../../app/services/access/caseload.server";
import { caseloadOverview, learnerReport, parseFilters, workshopCompletion, NO_FILTERS } from "../../app/services/caseload.server";
import { csvDownload, pdfDownload } from "../../app/services/caseload-export.server";
import { dueToday, homeworkIcs } from "../../app/services/reminders.server";
import { pngBytes, testDb } from "./helpers";
import { pageCount, pdfText } from "./pdf-text";

// The caseload against a real database: who may see whom (one rule: access/caseload.server.ts), what
// the report counts, and the CSV and PDF built from it. Reviews come from the real rating service
// (ratePin) and, for the clinical outcome and cue level that naming-with-cues writes (built at the
// same time by another engineer; ratePin does not take them yet), from direct review_log inserts.

const statusOf = async (fn: () => unknown) => {
  try {
    await fn();
    return 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
};

let seq = 0;
async function person(db: Db, name: string): Promise<User> {
  const [u] = await db
    .insert(users)
    .values({ email: `c${++seq}-${Date.now()}@example.com`, passwordHash: "x", displayName: name, locale: "en" })
    .returning();
  return u!;
}

const MARCH = new Date("2026-03-02T09:00:00Z");
let db: Db;
let therapist: User, learner: User, member: User, relative: User, stranger: User;
let boardId: number;
let cards: { id: number; title: string }[];
let workshopId: number;

beforeAll(async () => {
  db = await testDb();
  therapist = await person(db, "Dr. Ruiz");
  learner = await person(db, "Dad");
  member = await person(db, "Carmen");
  relative = await person(db, "Lucía");
  stranger = await person(db, "Stranger");
  const image = await storeImage(db, await pngBytes());
  const board = await createBoard(db, therapist.id, { title: "Kitchen", description: "", lang: "es", visibility: "public" });
  boardId = board.id;
  cards = [];
  for (const w of ["taza", "olla", "=SUM(1)"])
    cards.push(await createCard(db, therapist, board.id, { title: w, alt: `dibujo`, cue: "", note: "", lang: "es" }, image));
  // The learner shares with the therapist by a practice grant.
  await inviteToPractise(db, learner, therapist.email);
  await answerInvitation(db, therapist, learner.id, true);
  // Carmen is a participant of the therapist's workshop; Lucía comes along as a relative.
  const w = await createWorkshop(db, therapist, {
    title: "Grupo de nombrar",
    description: "",
    lang: "es",
    weekday: 1,
    startTime: "10:00",
    durationMinutes: 60,
    timeZone: "Europe/Madrid",
    startsOn: "2026-03-02",
    endsOn: "",
    place: "",
    videoUrl: "",
    capacity: 6,
  });
  if (!w.ok) throw new Error("workshop");
  workshopId = w.workshop.id;
  for (const [u, role] of [
    [member, "participant"],
    [relative, "relative"],
  ] as const) {
    const { token } = await createInvite(db, workshopId, therapist, role, MARCH);
    const r = await joinWithInvite(db, token, u, MARCH);
    if (!r.ok) throw new Error(r.problem);
  }
  const a = await createAssignment(db, workshopId, therapist, { boardId, dueOn: "2026-03-09", audience: "all", memberIds: [] }, MARCH);
  if (!a.ok) throw new Error("assignment");
  // createAssignment stamps the real clock; this history is set in March 2026, so the homework was given then.
  await db.update(assignments).set({ createdAt: MARCH }).where(eq(assignments.id, a.id));

  // Dad: two ratings through the service (Good, Again: no outcome recorded, as before issue 14) …
  await ratePin(db, {
    boardId,
    pinId: cards[0]!.id,
    rating: 3,
    viewer: learner,
    learnerId: learner.id,
    now: new Date("2026-03-03T10:00:00Z"),
  });
  const { sessionId } = await ratePin(db, {
    boardId,
    pinId: cards[1]!.id,
    rating: 1,
    viewer: learner,
    learnerId: learner.id,
    now: new Date("2026-03-03T10:01:00Z"),
  });
  // … and clinical reviews with outcome and cue level, as naming with cues stores them.
  await db.insert(reviewLogs).values([
    {
      learnerId: learner.id,
      pinId: cards[1]!.id,
      sessionId,
      ratedBy: learner.id,
      rating: 2,
      mode: "naming",
      outcome: "cued",
      cueLevel: 3,
      stateBefore: 1,
      reviewedAt: new Date("2026-03-10T10:00:00Z"),
    },
    {
      learnerId: learner.id,
      pinId: cards[2]!.id,
      sessionId,
      ratedBy: learner.id,
      rating: 1,
      mode: "naming",
      outcome: "not_yet",
      cueLevel: 5,
      stateBefore: 0,
      reviewedAt: new Date("2026-03-10T10:02:00Z"),
    },
    {
      learnerId: learner.id,
      pinId: cards[0]!.id,
      sessionId,
      ratedBy: learner.id,
      rating: 3,
      mode: "writing",
      outcome: "correct",
      cueLevel: 0,
      stateBefore: 1,
      reviewedAt: new Date("2026-03-20T10:00:00Z"),
    },
  ]);
  // Carmen practised two of the three homework cards after it was given (MARCH).
  for (const c of cards.slice(0, 2))
    await ratePin(db, { boardId, pinId: c.id, rating: 3, viewer: member, learnerId: member.id, now: new Date("2026-03-04T10:00:00Z") });
});

describe("caseload: who may see whom", () => {
  it("lists learners by grant and workshop participants (not relatives); strangers and relatives get a 404", async () => {
    const list = await caseloadLearners(db, therapist);
    expect(list.map((l) => [l.displayName, l.granted, l.workshops.map((w) => w.title)])).toEqual([
      ["Carmen", false, ["Grupo de nombrar"]],
      ["Dad", true, []],
    ]);
    expect((await learnerOpenTo(db, learner, learner.id)).self).toBe(true);
    expect(await statusOf(() => learnerOpenTo(db, stranger, learner.id))).toBe(404);
    expect(await statusOf(() => learnerOpenTo(db, therapist, relative.id))).toBe(404);
    expect(await statusOf(() => learnerReport(db, stranger, member.id, NO_FILTERS))).toBe(404);
    expect(await statusOf(() => csvDownload(db, stranger, learner.id, new URLSearchParams(), "en"))).toBe(404);
    expect(await statusOf(() => pdfDownload(db, member, learner.id, new URLSearchParams(), "en"))).toBe(404);
    // The whole-caseload CSV of someone with no caseload holds a header only.
    const r = await csvDownload(db, stranger, null, new URLSearchParams(), "en");
    expect(r.ok && new TextDecoder("utf-8", { ignoreBOM: true }).decode(r.body).trim().split("\r\n")).toHaveLength(1);
  });

  it("access ends the moment the grant is revoked or the learner leaves the workshop", async () => {
    const db2 = await testDb();
    const [t, l, m] = [await person(db2, "T"), await person(db2, "L"), await person(db2, "M")];
    await inviteToPractise(db2, l, t.email);
    await answerInvitation(db2, t, l.id, true);
    expect((await learnerOpenTo(db2, t, l.id)).id).toBe(l.id);
    await revokeAccess(db2, l, t.id);
    expect(await statusOf(() => learnerOpenTo(db2, t, l.id))).toBe(404);
    const w = await createWorkshop(db2, t, {
      title: "G",
      description: "",
      lang: "en",
      weekday: 1,
      startTime: "10:00",
      durationMinutes: 60,
      timeZone: "UTC",
      startsOn: "2026-03-02",
      endsOn: "",
      place: "",
      videoUrl: "",
      capacity: 4,
    });
    if (!w.ok) throw new Error("workshop");
    const { token } = await createInvite(db2, w.workshop.id, t, "participant", MARCH);
    await joinWithInvite(db2, token, m, MARCH);
    expect((await learnerOpenTo(db2, t, m.id)).id).toBe(m.id);
    await leaveWorkshop(db2, w.workshop.id, m);
    expect(await statusOf(() => learnerOpenTo(db2, t, m.id))).toBe(404);
    expect(await caseloadLearners(db2, t)).toEqual([]);
  });
});

describe("caseload: what it counts", () => {
  it("a learner's report: summary, words, cue levels, periods; filters by date and mode", async () => {
    const all = await learnerReport(db, therapist, learner.id, NO_FILTERS, "es");
    expect([all.summary.total, all.summary.correct, all.summary.cued, all.summary.notYet]).toEqual([5, 2, 1, 2]);
    expect(all.summary.sittings).toBe(1);
    expect(all.words.map((w) => [w.word, w.total, w.last.outcome])).toEqual([
      ["=SUM(1)", 1, "not_yet"],
      ["olla", 2, "cued"],
      ["taza", 2, "correct"],
    ]);
    expect(all.cues.levels.find((c) => c.name === "firstSound")).toMatchObject({ total: 1, cued: 1 });
    expect(all.cues.unrecorded.total).toBe(2); // the two ratings given before cue levels existed
    expect(all.periods.map((p) => p.period)).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
    // The therapist sees the homework of their own workshops only: Dad is in none.
    expect(all.homework).toEqual([]);

    const week2 = parseFilters(new URLSearchParams({ from: "2026-03-10", to: "2026-03-10", mode: "naming", by: "day" }));
    expect(week2.errors).toBeNull();
    const r = await learnerReport(db, therapist, learner.id, week2.filters);
    expect(r.summary.total).toBe(2);
    expect(r.periods).toEqual([{ period: "2026-03-10", total: 2, correct: 0, cued: 1, notYet: 1, sittings: 1, cues: [0, 0, 0, 1, 0, 1] }]);
    const writing = await learnerReport(db, therapist, learner.id, parseFilters(new URLSearchParams({ mode: "writing" })).filters);
    expect(writing.summary.total).toBe(1);
  });

  it("bad filters are reported by field with translatable keys, and what was typed is kept", () => {
    const p = parseFilters(new URLSearchParams({ from: "2026-02-30", to: "2026-01-01", mode: "dancing" }));
    expect(p.errors).toEqual({ from: "caseload:errors.date", mode: "caseload:errors.mode" });
    expect(p.values).toMatchObject({ from: "2026-02-30", mode: "dancing" });
    expect(p.filters).toEqual(NO_FILTERS);
    expect(parseFilters(new URLSearchParams({ from: "2026-03-05", to: "2026-03-01" })).errors).toEqual({ to: "caseload:errors.range" });
  });

  it("homework: done, started (n of m) or not started, on the overview and the workshop page", async () => {
    const overview = await caseloadOverview(db, therapist, NO_FILTERS);
    const carmen = overview.find((o) => o.id === member.id)!;
    expect(carmen.homework).toEqual({ done: 0, total: 1 });
    expect(carmen.summary.total).toBe(2);
    const completion = await workshopCompletion(db, workshopId, therapist);
    expect(completion.map((m) => [m.displayName, m.items.map((i) => [i.status, i.practised, i.cards])])).toEqual([
      ["Carmen", [["started", 2, 3]]],
    ]);
    expect(await statusOf(() => workshopCompletion(db, workshopId, member))).toBe(403);
    // Carmen's own report shows her homework.
    const own = await learnerReport(db, member, member.id, NO_FILTERS);
    expect(own.homework.map((h) => [h.boardTitle, h.status])).toEqual([["Kitchen", "started"]]);
  });
});

describe("caseload: downloads", () => {
  it("CSV: BOM, translated headers, one row per review with cue level names, formula-safe", async () => {
    const r = await csvDownload(db, therapist, learner.id, new URLSearchParams(), "es", new Date("2026-04-01T00:00:00Z"));
    if (!r.ok) throw new Error(r.message);
    expect(r.filename).toBe("tablero-practica-2026-04-01.csv");
    expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder("utf-8", { ignoreBOM: true }).decode(r.body).slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("Fecha y hora (UTC);Persona;Tarjeta;Tipo de práctica;Ayuda dada;Resultado");
    expect(lines).toHaveLength(6);
    expect(lines).toContain("2026-03-10 10:00:00;Dad;olla;Nombrar;Primer sonido;Con ayuda");
    expect(lines).toContain("2026-03-10 10:02:00;Dad;'=SUM(1);Nombrar;Palabra entera;Todavía no");
    expect(lines).toContain("2026-03-03 10:01:00;Dad;olla;Nombrar;Ayuda no anotada;Todavía no");
    // The whole caseload: Dad's five and Carmen's two.
    const all = await csvDownload(db, therapist, null, new URLSearchParams({ from: "2026-03-01" }), "en");
    if (!all.ok) throw new Error(all.message);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(all.body);
    expect(text.split("\r\n").filter((l) => l.includes(",Carmen,"))).toHaveLength(2);
    expect(text.split("\r\n")[0]).toBe("\uFEFFDate and time (UTC),Person,Card,Practice type,Help given,Result");
    const bad = await csvDownload(db, therapist, null, new URLSearchParams({ from: "yesterday" }), "es");
    expect(bad).toEqual({ ok: false, status: 400, message: "Escribe una fecha como 2026-03-31." });
  });

  it("PDF in Arabic: Noto Sans Arabic embedded, lines right to left, a Latin name in its place", async () => {
    const r = await pdfDownload(db, therapist, learner.id, new URLSearchParams(), "ar", { compress: false, fontDir: "/nonexistent" });
    if (!r.ok) throw new Error(r.message);
    const pdf = Buffer.from(r.body);
    expect(pdf.toString("latin1")).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansArabic-Bold/);
    const visual = (s: string) => [...s].reverse().join("");
    const runs = pdfText(pdf)
      .split("\n")
      .map((x) => x.trim())
      .join("|");
    // "تقرير التمرين: Dad": the name at the left end, the Arabic words read from the right (the whole
    // run reversed on paper, not each word in place).
    expect(runs).toContain(`Dad|${visual("تقرير التمرين:")}|`);
    expect(runs).toContain(`|${visual("الملخص")}|`);
  });

  it("PDF: the learner's name, range, summary, cue-level distribution and one row per word", async () => {
    const r = await pdfDownload(db, therapist, learner.id, new URLSearchParams({ from: "2026-03-01", to: "2026-03-31" }), "es", {
      compress: false,
      // The standard Helvetica writes plain WinAnsi bytes, which the test's reader decodes exactly.
      fontDir: "/nonexistent",
      now: new Date("2026-04-01T00:00:00Z"),
    });
    if (!r.ok) throw new Error(r.message);
    const pdf = Buffer.from(r.body);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(1);
    const text = pdfText(pdf).replace(/\s+/g, " ");
    for (const s of [
      "Informe de práctica: Dad",
      "Del 1 mar 2026 al 31 mar 2026",
      "Resumen",
      "Intentos",
      "Cuánta ayuda",
      "Primer sonido",
      "Palabra entera",
      "Cada palabra",
      "taza",
      "olla",
      "=SUM(1)",
      "Con ayuda: Primer sonido",
    ])
      expect(text).toContain(s);
    // The learner may download their own; the relative (no grant) may not.
    expect((await pdfDownload(db, learner, learner.id, new URLSearchParams(), "en")).ok).toBe(true);
    expect(await statusOf(() => pdfDownload(db, relative, learner.id, new URLSearchParams(), "en"))).toBe(404);
  });
});

describe("reminders", () => {
  it("due today per board and mode; homework as an .ics with all-day due dates", async () => {
    const due = await dueToday(db, learner.id, new Date("2026-06-01T00:00:00Z"));
    expect(due).toEqual([{ boardId, title: "Kitchen", lang: "es", mode: "naming", due: 2 }]);
    expect(await dueToday(db, learner.id, new Date("2026-03-03T10:02:00Z"))).toEqual([
      { boardId, title: "Kitchen", lang: "es", mode: "naming", due: 1 },
    ]);
    const ics = await homeworkIcs(db, member, "https://tablero.example", "es", new Date("2026-03-05T00:00:00Z"));
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("DTSTART;VALUE=DATE:20260309");
    expect(ics).toContain("SUMMARY:Tarea: Kitchen");
    expect(ics).toContain(`URL:https://tablero.example/boards/${boardId}/practice`);
    const none = await homeworkIcs(db, stranger, "https://tablero.example", "en");
    expect(none).toContain("BEGIN:VCALENDAR");
    expect(none).not.toContain("VEVENT");
  });
});

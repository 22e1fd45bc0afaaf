import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

import { LOCALES, PIN_KINDS, VISIBILITIES, type Role, type TextSize } from "./enums";

export * from "./enums";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("user", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  displayName: text("display_name").notNull(),
  locale: text("locale", { enum: LOCALES }).notNull().default("en"),
  roles: text("roles", { mode: "json" }).$type<Role[]>().notNull().default(sql`'[]'`),
  textSize: integer("text_size").$type<TextSize>().notNull().default(100),
  highContrast: integer("high_contrast", { mode: "boolean" }).notNull().default(false),
  reducedMotion: integer("reduced_motion", { mode: "boolean" }).notNull().default(false),
  speechRate: real("speech_rate").notNull().default(0.9),
  createdAt: createdAt(),
});

export const sessions = sqliteTable(
  "session",
  {
    // sha256 of the cookie's token, so a copy of the database cannot be used to sign in.
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const boards = sqliteTable(
  "board",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    lang: text("lang", { enum: LOCALES }).notNull(),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("public"),
    kind: text("kind", { enum: ["board", "topic"] }).notNull().default("board"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("board_owner_idx").on(t.ownerId), index("board_visibility_idx").on(t.visibility, t.createdAt)],
);

export const pins = sqliteTable(
  "pin",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    creatorId: integer("creator_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: PIN_KINDS }).notNull().default("flashcard"),
    /** The word or phrase on the card. */
    title: text("title").notNull(),
    cue: text("cue").notNull().default(""),
    note: text("note").notNull().default(""),
    lang: text("lang", { enum: LOCALES }).notNull(),
    imageKey: text("image_key").notNull(),
    imageWidth: integer("image_width").notNull(),
    imageHeight: integer("image_height").notNull(),
    alt: text("alt").notNull(),
    /** Where the card came from: "upload", or e.g. "openmoji:1F34E" for the starter library. */
    source: text("source").notNull().default("upload"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("pin_creator_idx").on(t.creatorId)],
);

/** The pin–board graph: a card can sit on many boards. */
export const boardPins = sqliteTable(
  "board_pin",
  {
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    savedBy: integer("saved_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    savedAt: integer("saved_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.pinId] }), index("board_pin_pin_idx").on(t.pinId)],
);

export const images = sqliteTable("image",
  {
    /** File name under data/images: sha256 of the re-encoded bytes plus extension. */
    key: text("key").primaryKey(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    bytes: integer("bytes").notNull(),
    createdAt: createdAt(),
});

export type User = typeof users.$inferSelect;
export type Board = typeof boards.$inferSelect;
export type Pin = typeof pins.$inferSelect;
export type BoardPin = typeof boardPins.$inferSelect;

/** A node of the interest taxonomy (models/taxonomy/interests.json, loaded at start-up). */
export const interests = sqliteTable("interest", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  parentSlug: text("parent_slug"),
  depth: integer("depth").notNull(),
  labelEn: text("label_en").notNull(),
  labelEs: text("label_es").notNull(),
  synonymsEn: text("synonyms_en", { mode: "json" }).$type<string[]>().notNull(),
  synonymsEs: text("synonyms_es", { mode: "json" }).$type<string[]>().notNull(),
  version: integer("version").notNull(),
});

export const pinInterests = sqliteTable(
  "pin_interest",
  {
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    interestId: integer("interest_id")
      .notNull()
      .references(() => interests.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pinId, t.interestId] }), index("pin_interest_interest_idx").on(t.interestId, t.score)],
);

export const boardInterests = sqliteTable(
  "board_interest",
  {
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    interestId: integer("interest_id")
      .notNull()
      .references(() => interests.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.interestId] }), index("board_interest_interest_idx").on(t.interestId, t.score)],
);

/** What was embedded for a pin or board, so unchanged content is never embedded twice. */
export const embeddingState = sqliteTable(
  "embedding_state",
  {
    kind: text("kind", { enum: ["pin", "board", "interest"] }).notNull(),
    refId: integer("ref_id").notNull(),
    contentHash: text("content_hash").notNull(),
    embeddedText: text("embedded_text").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.kind, t.refId] })],
);

/** Every search, for query expansion from co-occurring queries and for evaluation. */
export const searchLog = sqliteTable(
  "search_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    query: text("query").notNull(),
    normalized: text("normalized").notNull(),
    lang: text("lang", { enum: LOCALES }).notNull(),
    resultCount: integer("result_count").notNull(),
    /** A random per-browser key (or the user id), to group one person's searches into a session. */
    sessionKey: text("session_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("search_log_session_idx").on(t.sessionKey, t.createdAt), index("search_log_norm_idx").on(t.normalized)],
);

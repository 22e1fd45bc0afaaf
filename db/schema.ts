import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

import {
  CLIP_KINDS,
  ENGAGEMENT_ACTIONS,
  LOCALES,
  MEMBER_ROLES,
  OUTCOMES,
  PRACTICE_MODES,
  PIN_KINDS,
  SURFACES,
  UI_LOCALES,
  VISIBILITIES,
  type RatingValue,
  type Role,
  type TextSize,
} from "./enums";

export * from "./enums";

/** 128 random bits as hex (Web Crypto, so this module stays importable anywhere). */
const randomHex128 = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("user", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  displayName: text("display_name").notNull(),
  locale: text("locale", { enum: UI_LOCALES }).notNull().default("en"),
  roles: text("roles", { mode: "json" })
    .$type<Role[]>()
    .notNull()
    .default(sql`'[]'`),
  textSize: integer("text_size").$type<TextSize>().notNull().default(100),
  highContrast: integer("high_contrast", { mode: "boolean" }).notNull().default(false),
  reducedMotion: integer("reduced_motion", { mode: "boolean" }).notNull().default(false),
  speechRate: real("speech_rate").notNull().default(0.9),
  /** The synthetic voice chosen per language (issue 14): language code → the browser voice's name (voiceURI). */
  speechVoices: text("speech_voices", { mode: "json" })
    .$type<Record<string, string>>()
    .notNull()
    .default(sql`'{}'`),
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
    kind: text("kind", { enum: ["board", "topic"] })
      .notNull()
      .default("board"),
    /**
     * The unguessable key of the board's share link (/boards/:id?key=…): 128 random bits, hex. An
     * unlisted board opens only with it (ids are sequential). Filled on insert here and, for inserts
     * that bypass drizzle, by a trigger (migration 0009); new one = old links stop working.
     */
    shareToken: text("share_token").$defaultFn(randomHex128),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    index("board_owner_idx").on(t.ownerId),
    index("board_visibility_idx").on(t.visibility, t.createdAt),
    uniqueIndex("board_share_token_idx").on(t.shareToken),
  ],
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
    /** The semantic cue of naming practice (what it is, what it is for); the creator's free-text hint. */
    cue: text("cue").notNull().default(""),
    note: text("note").notNull().default(""),
    /** Naming cues (issue 14): a sentence to complete, and the first sound when spelling misleads; empty = derived. */
    cueSentence: text("cue_sentence").notNull().default(""),
    firstSound: text("first_sound").notNull().default(""),
    /** Semantic feature analysis answers saved on the card (category, use, place, properties…). */
    features: text("features", { mode: "json" })
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'`),
    lang: text("lang", { enum: LOCALES }).notNull(),
    imageKey: text("image_key").notNull(),
    imageWidth: integer("image_width").notNull(),
    imageHeight: integer("image_height").notNull(),
    alt: text("alt").notNull(),
    /** Where the card came from: "upload", or e.g. "openmoji:1F34E" for the starter library. */
    source: text("source").notNull().default("upload"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
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
    savedAt: integer("saved_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.pinId] }), index("board_pin_pin_idx").on(t.pinId)],
);

export const images = sqliteTable("image", {
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
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
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
  (t) => [
    index("search_log_session_idx").on(t.sessionKey, t.createdAt),
    index("search_log_norm_idx").on(t.normalized),
    // Pruned after SEARCH_LOG_DAYS (issue 12, privacy): the prune reads by age.
    index("search_log_created_idx").on(t.createdAt),
  ],
);

// ── Engagement and recommendations (issue 5) ───────────────────────────────────────────────────

/** Append-only log of what people do with cards; the source for Pixie, PinSage, PinnerSage, ranking. */
export const engagements = sqliteTable(
  "engagement",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Null for visitors; their events still count for popularity but are never shown to anyone. */
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionKey: text("session_key").notNull(),
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    action: text("action", { enum: ENGAGEMENT_ACTIONS }).notNull(),
    surface: text("surface", { enum: SURFACES }).notNull(),
    query: text("query"),
    position: integer("position"),
    /** The served list (served_list.request_id) the card was shown in, so the event joins its impression. */
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("engagement_request_idx").on(t.requestId, t.pinId),
    index("engagement_user_idx").on(t.userId, t.createdAt),
    index("engagement_pin_idx").on(t.pinId, t.action),
    index("engagement_session_idx").on(t.sessionKey, t.createdAt),
  ],
);

/**
 * Every list a ranked surface served (search, home feed, More like this, interest pages), written at
 * serving time through the engagement queue: what the ranker saw is what training sees (issue 11).
 */
export const servedLists = sqliteTable(
  "served_list",
  {
    requestId: text("request_id").primaryKey(),
    surface: text("surface", { enum: SURFACES }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    sessionKey: text("session_key").notNull(),
    query: text("query"),
    /** The ranker that ordered the list ("fusion@1" when no model was trained). */
    ranker: text("ranker").notNull(),
    /** The feature set's version: the names of the values in served_item.features. */
    featureSet: text("feature_set").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("served_list_created_idx").on(t.createdAt)],
);

/** One card of a served list: its position, the exact feature values it was ranked by, its score. */
export const servedItems = sqliteTable(
  "served_item",
  {
    requestId: text("request_id")
      .notNull()
      .references(() => servedLists.requestId, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
    /** JSON array of numbers (null for a missing value), in the order of the list's feature set. */
    features: text("features").notNull(),
    /** For exploration slots: the probability with which this card was put in this slot; else null. */
    propensity: real("propensity"),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.position] }), index("served_item_pin_idx").on(t.pinId)],
);

/** Interests a person picked on the home page (new accounts, before they have engaged with anything). */
export const userInterests = sqliteTable(
  "user_interest",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    interestId: integer("interest_id")
      .notNull()
      .references(() => interests.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.interestId] })],
);

/** One PinnerSage cluster of a person's engaged cards: its medoid card, importance and size. */
const clusterColumns = () => ({
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  medoidPinId: integer("medoid_pin_id")
    .notNull()
    .references(() => pins.id, { onDelete: "cascade" }),
  importance: real("importance").notNull(),
  size: integer("size").notNull(),
  computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
});

/** PinnerSage interest clusters of a person's engaged cards, recomputed after engagement. */
export const userClusters = sqliteTable("user_cluster", clusterColumns(), (t) => [primaryKey({ columns: [t.userId, t.position] })]);

/**
 * The finer cut of the same PinnerSage dendrogram (docs/decisions/0008): the medoids that rank the
 * cards retrieved from the interests above. Replaced together with user_cluster.
 */
export const userRankingClusters = sqliteTable("user_ranking_cluster", clusterColumns(), (t) => [
  primaryKey({ columns: [t.userId, t.position] }),
]);

// ── Workshops (issue 4) ───────────────────────────────────────────────────────────────────────

export const workshops = sqliteTable(
  "workshop",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    therapistId: integer("therapist_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    lang: text("lang", { enum: LOCALES }).notNull(),
    /** ISO weekday, 1 = Monday … 7 = Sunday. */
    weekday: integer("weekday").notNull(),
    /** Local wall-clock start, "HH:MM", in timeZone. */
    startTime: text("start_time").notNull(),
    durationMinutes: integer("duration_minutes").notNull().default(60),
    /** IANA zone, e.g. "Europe/Madrid". */
    timeZone: text("time_zone").notNull(),
    /** First week of the series and optional last, "YYYY-MM-DD". */
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on"),
    place: text("place").notNull().default(""),
    videoUrl: text("video_url").notNull().default(""),
    capacity: integer("capacity").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("workshop_therapist_idx").on(t.therapistId)],
);

export const workshopMembers = sqliteTable(
  "workshop_member",
  {
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    joinedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workshopId, t.userId] }), index("workshop_member_user_idx").on(t.userId)],
);

/** A single-use invitation link; only the sha256 of its token is stored. */
export const workshopInvites = sqliteTable(
  "workshop_invite",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    usedBy: integer("used_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("workshop_invite_workshop_idx").on(t.workshopId)],
);

/** One week's meeting of a workshop, created when the therapist plans or runs it. */
export const workshopSessions = sqliteTable(
  "workshop_session",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    /** Local date of the meeting, "YYYY-MM-DD". */
    date: text("date").notNull(),
    /** Therapist-only notes; version guards against two editors overwriting each other. */
    notes: text("notes").notNull().default(""),
    notesVersion: integer("notes_version").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("workshop_session_date_idx").on(t.workshopId, t.date)],
);

export const sessionBoards = sqliteTable(
  "session_board",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => workshopSessions.id, { onDelete: "cascade" }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.boardId] })],
);

export const attendance = sqliteTable(
  "attendance",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => workshopSessions.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    present: integer("present", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** A board given as homework, to every member or to the listed ones. */
export const assignments = sqliteTable(
  "assignment",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workshopId: integer("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    dueOn: text("due_on").notNull(),
    allMembers: integer("all_members", { mode: "boolean" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("assignment_workshop_idx").on(t.workshopId)],
);

export const assignmentMembers = sqliteTable(
  "assignment_member",
  {
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] })],
);

// ── Practice (issue 4) ────────────────────────────────────────────────────────────────────────

/** A learner's FSRS state for one card in one practice mode (ts-fsrs Card fields); each mode schedules separately. */
export const reviews = sqliteTable(
  "review",
  {
    learnerId: integer("learner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    mode: text("mode", { enum: PRACTICE_MODES }).notNull().default("naming"),
    due: integer("due", { mode: "timestamp_ms" }).notNull(),
    stability: real("stability").notNull(),
    difficulty: real("difficulty").notNull(),
    elapsedDays: integer("elapsed_days").notNull(),
    scheduledDays: integer("scheduled_days").notNull(),
    learningSteps: integer("learning_steps").notNull().default(0),
    reps: integer("reps").notNull(),
    lapses: integer("lapses").notNull(),
    /** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
    state: integer("state").notNull(),
    lastReview: integer("last_review", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.pinId, t.mode] }), index("review_due_idx").on(t.learnerId, t.due)],
);

/** A sitting of practice on one board; resumable, so it has no end time, only the last rating. */
export const practiceSessions = sqliteTable(
  "practice_session",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    learnerId: integer("learner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    /** Who held the device: the learner, or a relative or therapist practising with them. */
    startedBy: integer("started_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    startedAt: createdAt(),
    lastRatedAt: integer("last_rated_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("practice_session_learner_idx").on(t.learnerId, t.startedAt)],
);

/** Every rating given, written before the next card shows, so closing the browser loses nothing. */
export const reviewLogs = sqliteTable(
  "review_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    learnerId: integer("learner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    sessionId: integer("session_id").references(() => practiceSessions.id, { onDelete: "set null" }),
    ratedBy: integer("rated_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: integer("rating").$type<RatingValue>().notNull(),
    mode: text("mode", { enum: PRACTICE_MODES }).notNull().default("naming"),
    /**
     * Clinical scoring (issue 14): named without help, named with a cue, or not yet. Null on reviews
     * rated before it existed (Again/Hard/Good/Easy only).
     */
    outcome: text("outcome", { enum: OUTCOMES }),
    /** The highest cue level revealed before the answer (0 = none; CUE_LEVELS); null when not recorded. */
    cueLevel: integer("cue_level"),
    /** State before the rating, so the history can be replayed. */
    stateBefore: integer("state_before").notNull(),
    /**
     * The whole FSRS state before the rating (card null: never practised in this mode), so "Undo" can
     * restore it exactly (issue 14). Null on lines written before it existed: those cannot be undone.
     */
    previous: text("previous", { mode: "json" }).$type<{ card: StoredCardState | null }>(),
    reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("review_log_learner_idx").on(t.learnerId, t.reviewedAt)],
);

/** A learner lets a relative or therapist practise with them and see their progress. */
export const practiceGrants = sqliteTable(
  "practice_grant",
  {
    learnerId: integer("learner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    granteeId: integer("grantee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.granteeId] }), index("practice_grant_grantee_idx").on(t.granteeId)],
);

// ── Story Pins (issue 4) ──────────────────────────────────────────────────────────────────────

/** A story is a pin of kind "story" (its cover is the first page); it may be about one board. */
export const stories = sqliteTable("story", {
  pinId: integer("pin_id")
    .primaryKey()
    .references(() => pins.id, { onDelete: "cascade" }),
  boardId: integer("board_id").references(() => boards.id, { onDelete: "set null" }),
});

export const storyPages = sqliteTable(
  "story_page",
  {
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    imageKey: text("image_key").notNull(),
    imageWidth: integer("image_width").notNull(),
    imageHeight: integer("image_height").notNull(),
    alt: text("alt").notNull(),
    text: text("text").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pinId, t.position] })],
);

// ── The person's own voice (issue 14) ────────────────────────────────────────────────────────

/**
 * A recording of a card's word or cue, or of a Story Pin page, in someone's own voice. The file lives
 * with the pictures (audio/<sha256>.<ext>, app/services/audio/clips.server.ts); one clip per
 * (owner, pin, page, kind): recording again replaces it. `page` is the story page's position, or -1
 * for the card itself (not NULL, so the unique index holds on both engines).
 */
export const audioClips = sqliteTable(
  "audio_clip",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    page: integer("page").notNull().default(-1),
    kind: text("kind", { enum: CLIP_KINDS }).notNull().default("word"),
    /** File name: sha256 of the bytes plus the container's extension. */
    key: text("key").notNull(),
    mime: text("mime").notNull(),
    durationMs: integer("duration_ms").notNull(),
    bytes: integer("bytes").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("audio_clip_slot_idx").on(t.ownerId, t.pinId, t.page, t.kind), index("audio_clip_pin_idx").on(t.pinId)],
);

// ── Trust: popularity, client keys, imports (issue 12) ──────────────────────────────────────────

/**
 * One row per (card, action, source, day): what popularity and the ranking counts read, so that one
 * client (an account, or a visitor's hashed address) counts at most once per card, action and day.
 */
export const engagementCounts = sqliteTable(
  "engagement_count",
  {
    pinId: integer("pin_id")
      .notNull()
      .references(() => pins.id, { onDelete: "cascade" }),
    action: text("action", { enum: ENGAGEMENT_ACTIONS }).notNull(),
    /** "u:<user id>" for accounts, "ip:<salted hash>" for visitors. */
    source: text("source").notNull(),
    /** Days since 1970-01-01 (UTC). */
    day: integer("day").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.pinId, t.action, t.source, t.day] }),
    index("engagement_count_day_idx").on(t.day),
    index("engagement_count_source_idx").on(t.source),
  ],
);

/** A random salt per day for hashing visitors' addresses: a visitor's key cannot be linked across days. */
export const clientSalts = sqliteTable("client_salt", {
  day: integer("day").primaryKey(),
  salt: text("salt").notNull(),
});

/** A web import: its progress and, until it finishes, its records, so a restart resumes it. */
export const importJobs = sqliteTable(
  "import_job",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    state: text("state", { enum: ["running", "done", "failed"] }).notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    created: integer("created").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    issues: text("issues").notNull().default("[]"),
    warnings: text("warnings").notNull().default("[]"),
    boardIds: text("board_ids").notNull().default("[]"),
    defaultBoard: text("default_board").notNull(),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull(),
    /** The parsed records (JSON) while the job runs; null once it is over. */
    records: text("records"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("import_job_user_idx").on(t.userId, t.state)],
);

/** Which imported record each imported card came from, and a fingerprint of its content (docs/decisions/0017-imports.md). */
export const importItems = sqliteTable(
  "import_item",
  {
    pinId: integer("pin_id")
      .primaryKey()
      .references(() => pins.id, { onDelete: "cascade" }),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    recordId: text("record_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    jobId: text("job_id"),
  },
  (t) => [index("import_item_owner_idx").on(t.ownerId, t.fingerprint), index("import_item_job_idx").on(t.jobId)],
);

export type Engagement = typeof engagements.$inferSelect;
export type Workshop = typeof workshops.$inferSelect;
export type WorkshopSession = typeof workshopSessions.$inferSelect;
export type Review = typeof reviews.$inferSelect;
export type StoryPage = typeof storyPages.$inferSelect;
export type AudioClip = typeof audioClips.$inferSelect;

// ── Accounts (issue 12) ───────────────────────────────────────────────────────────────────────

/** A "reset your password" link: only the sha256 of its token is kept; single use, short-lived. */
export const passwordResetTokens = sqliteTable(
  "password_reset_token",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("password_reset_user_idx").on(t.userId)],
);

/**
 * A sign-up waiting for its email to be confirmed. The account is made only when the link in the
 * message is followed, so the sign-up form answers the same whether or not the email has an account.
 */
export const signupRequests = sqliteTable(
  "signup_request",
  {
    /** sha256 of the link's token. */
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    locale: text("locale", { enum: UI_LOCALES }).notNull(),
    roles: text("roles", { mode: "json" }).$type<Role[]>().notNull(),
    redirectTo: text("redirect_to").notNull().default("/"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("signup_request_email_idx").on(t.email)],
);

/**
 * A learner's offer to let the owner of an email practise with them. It names nobody until that person
 * accepts (then it becomes a practice_grant), so the form never tells whether the email has an account.
 */
export const practiceInvites = sqliteTable(
  "practice_invite",
  {
    learnerId: integer("learner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.email] }), index("practice_invite_email_idx").on(t.email)],
);

/**
 * Rate-limit counters (sign-in, sign-up), written by rate-limiter-flexible's RateLimiterSQLite in its
 * own shape (migration 0012): `points` used by `key` until `expire` (ms since the epoch).
 */
export const rateLimits = sqliteTable(
  "rate_limit",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: integer("expire"),
  },
  (t) => [index("rate_limit_expire").on(t.expire)],
);

/**
 * The change feed (issue 13, migration 0013): one row per change to what the workers keep in memory,
 * written by triggers — `pin_vec` (a card's vector, following embedding_state) and `graph` (board_pin,
 * board). Each worker reads `seq > last` and applies it (app/services/changes/feed.server.ts); rows
 * older than the retention are pruned.
 */
export const changeLog = sqliteTable(
  "change_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    topic: text("topic", { enum: ["pin_vec", "graph"] }).notNull(),
    rowId: integer("row_id").notNull(),
    op: text("op", { enum: ["upsert", "delete"] }).notNull(),
    at: integer("at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("change_log_at").on(t.at)],
);

/** Leases for background jobs: the process named by `owner` runs job `name` until `until` (ms). */
export const jobLeases = sqliteTable("job_lease", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  until: integer("until").notNull(),
});

/**
 * When a person last deleted their history (/privacy), in the database so every worker knows: events
 * arriving within the grace period and lists or searches logged before it are not written after it.
 */
export const historyDeletions = sqliteTable("history_deletion", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  at: integer("at").notNull(),
});

/** A review's FSRS state as review_log.previous keeps it (JSON: dates as epoch ms). */
export type StoredCardState = {
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: number | null;
};

import { STATE, type CardState } from "./schedule";

/**
 * Which card comes next in a sitting. Pure: the caller passes the board's cards in board order, the
 * learner's states for them, and what happened in this sitting so far.
 *
 * Order: cards due now (earliest first); then cards never practised, in board order, up to `newLimit`
 * per sitting; then cards still being learned (Learning/Relearning) that fall due within `learnAheadMs`,
 * so a card rated Again a minute ago comes back instead of the sitting ending. The card just rated is
 * not shown again straight away unless it is the only one left.
 * With `ahead` (the learner chose "practise more anyway"), every card is eligible: new cards first
 * (board order), then the ones due soonest.
 */
export type QueueOptions = {
  /** New cards per sitting. */
  newLimit?: number;
  /** New cards already introduced in this sitting. */
  newSeen?: number;
  learnAheadMs?: number;
  /** The card rated last, not repeated straight away. */
  lastPinId?: number | null;
  ahead?: boolean;
};

export type QueueReason = "due" | "new" | "learning" | "ahead";
export type NextCard = { pinId: number; reason: QueueReason } | null;

export const DEFAULT_NEW_LIMIT = 20;
export const DEFAULT_LEARN_AHEAD_MS = 20 * 60_000;

/** How many cards are due now and how many new ones this sitting can still introduce. */
export function queueCounts(pinIds: readonly number[], states: ReadonlyMap<number, CardState>, now: Date, opts: QueueOptions = {}) {
  const newLimit = opts.newLimit ?? DEFAULT_NEW_LIMIT;
  let due = 0;
  let fresh = 0;
  for (const id of new Set(pinIds)) {
    const s = states.get(id);
    if (!s) fresh++;
    else if (s.due.getTime() <= now.getTime()) due++;
  }
  return { due, new: Math.min(fresh, Math.max(0, newLimit - (opts.newSeen ?? 0))), unseen: fresh };
}

/** What practice calls "Waiting" (the page's line and /practice alike): the cards this sitting will still show now. */
export const waitingOf = (counts: { due: number; new: number }) => counts.due + counts.new;

export function nextCard(pinIds: readonly number[], states: ReadonlyMap<number, CardState>, now: Date, opts: QueueOptions = {}): NextCard {
  const newLimit = opts.newLimit ?? DEFAULT_NEW_LIMIT;
  const learnAhead = opts.learnAheadMs ?? DEFAULT_LEARN_AHEAD_MS;
  const t = now.getTime();
  const ids = [...new Set(pinIds)];
  const fresh = ids.filter((id) => !states.has(id));
  const seen = ids
    .filter((id) => states.has(id))
    .map((id) => ({ id, due: states.get(id)!.due.getTime(), state: states.get(id)!.state }))
    .sort((a, b) => a.due - b.due || ids.indexOf(a.id) - ids.indexOf(b.id));

  const candidates: { pinId: number; reason: QueueReason }[] = [];
  if (opts.ahead) {
    for (const id of fresh) candidates.push({ pinId: id, reason: "ahead" });
    for (const s of seen) candidates.push({ pinId: s.id, reason: "ahead" });
  } else {
    for (const s of seen) if (s.due <= t) candidates.push({ pinId: s.id, reason: "due" });
    const room = Math.max(0, newLimit - (opts.newSeen ?? 0));
    for (const id of fresh.slice(0, room)) candidates.push({ pinId: id, reason: "new" });
    for (const s of seen)
      if (s.due > t && s.due <= t + learnAhead && (s.state === STATE.Learning || s.state === STATE.Relearning))
        candidates.push({ pinId: s.id, reason: "learning" });
  }
  return candidates.find((c) => c.pinId !== opts.lastPinId) ?? candidates[0] ?? null;
}

import { describe, expect, it } from "vitest";
import { nextCard, queueCounts } from "./queue";
import { schedule, type CardState } from "./schedule";

const now = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;
const MIN = 60_000;

/** A card in Review, due at `due`. */
function reviewed(due: Date): CardState {
  return { ...schedule(null, 4, new Date(due.getTime() - 3 * DAY)).state, due };
}

describe("nextCard", () => {
  const board = [10, 11, 12, 13, 14];

  it("starts with the first card of the board when nothing was practised", () => {
    expect(nextCard(board, new Map(), now)).toEqual({ pinId: 10, reason: "new" });
  });

  it("shows due cards first, earliest due first, then new cards in board order", () => {
    const states = new Map<number, CardState>([
      [12, reviewed(new Date(now.getTime() - DAY))],
      [14, reviewed(new Date(now.getTime() - 2 * DAY))],
      [10, reviewed(new Date(now.getTime() + 5 * DAY))],
    ]);
    const order: number[] = [];
    const left = new Map(states);
    for (let i = 0; i < 4; i++) {
      const next = nextCard(board, left, now)!;
      order.push(next.pinId);
      left.set(next.pinId, reviewed(new Date(now.getTime() + 9 * DAY)));
    }
    expect(order).toEqual([14, 12, 11, 13]);
    expect(nextCard(board, left, now)).toBeNull();
  });

  it("limits new cards per sitting", () => {
    expect(nextCard(board, new Map(), now, { newLimit: 2, newSeen: 2 })).toBeNull();
    expect(nextCard(board, new Map(), now, { newLimit: 2, newSeen: 1 })).toEqual({ pinId: 10, reason: "new" });
    expect(queueCounts(board, new Map(), now, { newLimit: 2, newSeen: 1 })).toEqual({ due: 0, new: 1, unseen: 5 });
  });

  it("brings a card rated Again back in the same sitting, but not straight after itself", () => {
    const again = schedule(null, 1, now).state; // due in a minute
    const states = new Map([[10, again]]);
    expect(nextCard(board, states, now, { lastPinId: 10, newLimit: 1, newSeen: 1 })).toEqual({ pinId: 10, reason: "learning" });
    expect(nextCard(board, states, now, { lastPinId: 10 })).toEqual({ pinId: 11, reason: "new" });
    const later = new Date(now.getTime() + 2 * MIN);
    expect(nextCard(board, states, later, { lastPinId: 11 })).toEqual({ pinId: 10, reason: "due" });
  });

  it("practising ahead offers every card: unseen first, then the soonest due", () => {
    const states = new Map(board.map((id, i) => [id, reviewed(new Date(now.getTime() + (5 - i) * DAY))]));
    expect(nextCard(board, states, now)).toBeNull();
    expect(nextCard(board, states, now, { ahead: true })).toEqual({ pinId: 14, reason: "ahead" });
    expect(nextCard(board, states, now, { ahead: true, lastPinId: 14 })).toEqual({ pinId: 13, reason: "ahead" });
    states.delete(12);
    expect(nextCard(board, states, now, { ahead: true, newSeen: 99 })).toEqual({ pinId: 12, reason: "ahead" });
  });

  it("counts due and new cards", () => {
    const states = new Map([
      [10, reviewed(new Date(now.getTime() - MIN))],
      [11, reviewed(new Date(now.getTime() + DAY))],
    ]);
    expect(queueCounts(board, states, now)).toEqual({ due: 1, new: 3, unseen: 3 });
  });
});

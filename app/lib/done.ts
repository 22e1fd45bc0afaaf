/**
 * What a form that leaves its page has just done, told on the page it leads to (`?done=…`): "Card
 * deleted." on the home page, "Board saved." on the board. Only these keys are shown (their words
 * are in the `done` group of each locale's common.json), so a link cannot make the page say anything else.
 */
export const DONE = ["boardCreated", "boardSaved", "boardDeleted", "cardAdded", "cardSaved", "cardDeleted"] as const;
export type Done = (typeof DONE)[number];

export const isDone = (value: string | null): value is Done => (DONE as readonly string[]).includes(value ?? "");

/** `path` with `done` added to its query (before any #fragment). */
export function withDone(path: string, done: Done): string {
  const [base, hash] = path.split("#", 2) as [string, string | undefined];
  return `${base}${base.includes("?") ? "&" : "?"}done=${done}${hash !== undefined ? `#${hash}` : ""}`;
}

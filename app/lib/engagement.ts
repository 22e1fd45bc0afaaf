import { useLocation } from "@remix-run/react";
import { useEffect, useRef, type RefObject } from "react";
import type { EngagementAction, Surface } from "../../db/enums";

/**
 * Engagement events from the page: queued, sent together about once a second (fetch with keepalive),
 * and whatever is left when the page is hidden or left goes with navigator.sendBeacon. Sending never
 * blocks or breaks the page: failures are ignored.
 */
export type ClientEvent = {
  pinId: number;
  action: EngagementAction;
  surface: Surface;
  query?: string;
  position?: number;
  requestId?: string;
};

const ENDPOINT = "/api/engagement";
const SEND_AFTER_MS = 1000;
const MAX_PER_REQUEST = 100;
let queue: ClientEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let listening = false;

export function track(event: ClientEvent) {
  if (typeof window === "undefined") return;
  listen();
  queue.push(event);
  if (queue.length >= MAX_PER_REQUEST) send(false);
  else timer ??= setTimeout(() => send(false), SEND_AFTER_MS);
}

function send(leaving: boolean) {
  if (timer) clearTimeout(timer);
  timer = null;
  while (queue.length) {
    const body = JSON.stringify({ events: queue.slice(0, MAX_PER_REQUEST) });
    queue = queue.slice(MAX_PER_REQUEST);
    const beaconed =
      leaving &&
      typeof navigator.sendBeacon === "function" &&
      navigator.sendBeacon(ENDPOINT, new Blob([body], { type: "application/json" }));
    if (!beaconed) {
      void fetch(ENDPOINT, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json" },
        keepalive: true,
        credentials: "same-origin",
      }).catch(() => {});
    }
  }
}

function listen() {
  if (listening) return;
  listening = true;
  window.addEventListener("pagehide", () => send(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send(true);
  });
}

/**
 * Reports the cards of a grid: an impression when a card is at least half on screen (once per card per
 * page), and a click when one is followed (mouse, touch, or Enter on the focused card). Cards are the
 * elements inside `ref` with `data-pin-id`; their position is their order in the grid.
 */
export function useCardEvents(ref: RefObject<HTMLElement>, opts: { surface: Surface | null; query?: string; requestId?: string }) {
  const location = useLocation();
  const seen = useRef(new Set<number>());
  const { surface, query, requestId } = opts;
  useEffect(() => {
    seen.current = new Set(); // a new page: every card may count once again
  }, [location.key]);
  useEffect(() => {
    const root = ref.current;
    if (!root || !surface) return;
    const cards = () => [...root.querySelectorAll<HTMLElement>("[data-pin-id]")];
    const info = (el: Element | null) => {
      const card = el?.closest<HTMLElement>("[data-pin-id]");
      if (!card || !root.contains(card)) return null;
      const pinId = Number(card.dataset.pinId);
      return Number.isSafeInteger(pinId) ? { card, pinId, position: cards().indexOf(card) } : null;
    };
    const observer =
      typeof IntersectionObserver === "function"
        ? new IntersectionObserver(
            (entries) => {
              for (const entry of entries) {
                if (!entry.isIntersecting) continue;
                const i = info(entry.target);
                if (!i || seen.current.has(i.pinId)) continue;
                seen.current.add(i.pinId);
                track({ pinId: i.pinId, action: "impression", surface, query, position: i.position, requestId });
              }
            },
            { threshold: 0.5 },
          )
        : null;
    const observeAll = () => cards().forEach((c) => observer?.observe(c));
    observeAll();
    // Grids re-render (hide, revalidation): observe cards that appear later too.
    const mutations = new MutationObserver(observeAll);
    mutations.observe(root, { childList: true, subtree: true });
    let last: { pinId: number; at: number } | null = null;
    const followed = (target: EventTarget | null) => {
      const el = target instanceof Element ? target : null;
      // Only following the card counts, not its Hide button.
      if (!el || el.closest("button, form")) return;
      const link = el.closest("a[href], [role='row'][data-href], [data-pin-id][role='row']");
      if (!link) return;
      const i = info(el);
      if (!i) return;
      // Enter on a grid row may also produce a click: count one.
      const now = Date.now();
      if (last && last.pinId === i.pinId && now - last.at < 1000) return;
      last = { pinId: i.pinId, at: now };
      track({ pinId: i.pinId, action: "click", surface, query, position: i.position, requestId });
    };
    const onClick = (e: MouseEvent) => followed(e.target);
    const onKey = (e: KeyboardEvent) => {
      // React Aria grid rows open on Enter without a click event; links fire click for Enter themselves.
      if (e.key === "Enter" && e.target instanceof Element && e.target.getAttribute("role") === "row") followed(e.target);
    };
    root.addEventListener("click", onClick, true);
    root.addEventListener("keydown", onKey, true);
    return () => {
      observer?.disconnect();
      mutations.disconnect();
      root.removeEventListener("click", onClick, true);
      root.removeEventListener("keydown", onKey, true);
    };
  }, [ref, surface, query, requestId]);
}

/** One close-up event when a card's page is shown (and again for the next card). */
export function useCloseup(pinId: number) {
  useEffect(() => {
    track({ pinId, action: "closeup", surface: "card" });
  }, [pinId]);
}

/** Reports a read-aloud when a button inside is pressed (wrap the ReadAloudButton's parent with it). */
export function readAloudReporter(pinId: number, surface: Surface = "card") {
  return (e: { target: EventTarget | null }) => {
    if (e.target instanceof Element && e.target.closest("button")) track({ pinId, action: "readaloud", surface });
  };
}

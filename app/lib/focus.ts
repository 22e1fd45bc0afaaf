import { useEffect, useRef, type RefObject } from "react";
import { useNavigation } from "@remix-run/react";

/**
 * After a form on the same page has answered (`answer` changes: a new action result) and the page has
 * reloaded its data, moves focus to `target` — the message that says what happened, or what the action
 * made — but only when focus was lost (unless `always`): the pressed button is gone or re-rendered and
 * the page itself has focus, so the next Tab would start again at the skip link. A keyboard user who
 * still has a focused control keeps it. Once per answer.
 */
export function useFocusWhenLost(target: RefObject<HTMLElement>, answer: unknown, always = false) {
  const idle = useNavigation().state === "idle";
  const handled = useRef<unknown>(null);
  useEffect(() => {
    if (!answer || !idle || handled.current === answer || !target.current) return;
    handled.current = answer;
    const active = document.activeElement;
    if (always || !active || active === document.body || !active.isConnected) target.current.focus();
  }, [answer, idle]);
}

/** Focus has fallen to the page: nothing focused, <body>, or an element that has left the page. */
export function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/**
 * Moves focus to `el` when the control that had it has just disappeared (or been disabled, which
 * drops focus too): the next Tab would otherwise start again at the skip link. A control that still
 * has focus keeps it.
 */
export function focusIfLost(el: HTMLElement | null | undefined) {
  if (el && focusLost()) el.focus();
}

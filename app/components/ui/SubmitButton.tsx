import type { ButtonHTMLAttributes } from "react";

/**
 * A submit button that keeps keyboard focus while its form is being sent. A `disabled` button drops
 * focus to the page (the next Tab starts again at the skip link), so this one is only aria-disabled
 * while `busy` and ignores presses (click, Enter, Space) until the answer is back.
 */
export function SubmitButton({
  busy,
  onClick,
  children,
  ...rest
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "disabled"> & { busy: boolean }) {
  return (
    <button
      {...rest}
      type="submit"
      aria-disabled={busy || undefined}
      onClick={(e) => {
        if (busy) e.preventDefault();
        else onClick?.(e);
      }}
    >
      {children}
    </button>
  );
}

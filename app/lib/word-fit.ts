import type { CSSProperties } from "react";

/**
 * The length of a big word's longest run of letters as a CSS custom property (--longest). The
 * stylesheet shrinks the type until that run fits its column on one line: a long word such as
 * "otorrinolaringología" must never be split between arbitrary letters for someone relearning words.
 */
export function longestWordStyle(text: string): CSSProperties {
  const longest = Math.max(1, ...text.split(/\s+/).map((w) => [...w].length));
  return { "--longest": longest } as CSSProperties;
}

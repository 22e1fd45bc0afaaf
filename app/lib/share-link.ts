/**
 * Links that carry an unlisted board's share key (`?key=…`): the key is what opens the board and its
 * cards to someone who is not its owner (app/services/access/visibility.server.ts). Client-safe.
 */
export function withKey(path: string, key: string | null | undefined): string {
  if (!key) return path;
  return `${path}${path.includes("?") ? "&" : "?"}key=${encodeURIComponent(key)}`;
}

/**
 * The limits of a recording in the person's own voice (issue 14), in one place: the server checks
 * them on the bytes (app/services/audio/check.server.ts), the page checks the size before sending, the
 * recorder stops itself at the length, the messages quote them, and the body limit is derived from them.
 */
export const MAX_AUDIO_BYTES = 2 * 1024 * 1024;
export const MAX_AUDIO_SECONDS = 60;
/** A request far over the file limit is refused before its body is read (as the card form does). */
export const MAX_AUDIO_BODY = MAX_AUDIO_BYTES * 4;
/** What the file picker offers; the server decides by the bytes, not by this. */
export const AUDIO_ACCEPT =
  "audio/webm,audio/ogg,audio/mp4,audio/x-m4a,audio/aac,audio/mpeg,audio/wav,audio/x-wav,.webm,.ogg,.opus,.m4a,.mp4,.mp3,.wav";

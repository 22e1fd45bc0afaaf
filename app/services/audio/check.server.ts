import { parseBuffer } from "music-metadata";
import { MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS } from "~/lib/audio-limits";

export type AudioError =
  "voice:errors.required" | "voice:errors.tooLarge" | "voice:errors.notAudio" | "voice:errors.tooLong" | "voice:errors.empty";
export type CheckedAudio = { mime: string; ext: string; durationMs: number };

/**
 * The recordings we take, by what music-metadata reads in the bytes: the container and the codec.
 * A browser can play each of these; anything else (a video, a text file named .mp3, a MIDI file) is
 * refused whatever its name or claimed type.
 */
const FORMATS: { container: RegExp; codec: RegExp; mime: string; ext: string }[] = [
  { container: /^EBML\/webm$/i, codec: /^(opus|vorbis)$/i, mime: "audio/webm", ext: "webm" },
  { container: /^ogg$/i, codec: /^(opus|vorbis)/i, mime: "audio/ogg", ext: "ogg" },
  // MP4 names its container by its brands ("M4A/isom/mp42"…); only AAC inside is taken.
  { container: /^(m4a|mp4|isom|iso\d|mp4\d|mp42|dash)\b/i, codec: /aac/i, mime: "audio/mp4", ext: "m4a" },
  { container: /^mpeg$/i, codec: /^mpeg (1|2|2\.5) layer 3$/i, mime: "audio/mpeg", ext: "mp3" },
  { container: /^wave$/i, codec: /^pcm$/i, mime: "audio/wav", ext: "wav" },
];

/** Checks a recording by its bytes: a real audio file of a kind we take, at most 2 MB and 60 s. */
export async function checkAudio(bytes: Uint8Array): Promise<{ ok: true; audio: CheckedAudio } | { ok: false; error: AudioError }> {
  if (bytes.length === 0) return { ok: false, error: "voice:errors.required" };
  if (bytes.length > MAX_AUDIO_BYTES) return { ok: false, error: "voice:errors.tooLarge" };
  let format;
  try {
    // duration: true reads to the end when the header does not say (MediaRecorder's WebM, plain MP3).
    format = (await parseBuffer(bytes, undefined, { duration: true, skipCovers: true })).format;
  } catch {
    return { ok: false, error: "voice:errors.notAudio" };
  }
  if (!format.hasAudio || format.hasVideo) return { ok: false, error: "voice:errors.notAudio" };
  const known = FORMATS.find((f) => f.container.test(format.container ?? "") && f.codec.test(format.codec ?? ""));
  if (!known) return { ok: false, error: "voice:errors.notAudio" };
  const seconds = format.duration;
  if (seconds === undefined || !Number.isFinite(seconds)) return { ok: false, error: "voice:errors.notAudio" };
  if (seconds <= 0) return { ok: false, error: "voice:errors.empty" };
  if (seconds > MAX_AUDIO_SECONDS) return { ok: false, error: "voice:errors.tooLong" };
  return { ok: true, audio: { mime: known.mime, ext: known.ext, durationMs: Math.round(seconds * 1000) } };
}

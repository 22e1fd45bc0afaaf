import { useActionData, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AUDIO_ACCEPT, MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS } from "~/lib/audio-limits";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { useFocusWhenLost } from "~/lib/focus";
import { formatSeconds } from "~/lib/format";

type Clip = { url: string; durationMs: number } | undefined;
type Answer = { ok: true; intent: "save" | "delete"; slot: string } | { ok: false; slot: string | null; error: string };

const LIMITS = { mb: MAX_AUDIO_BYTES / (1024 * 1024), seconds: MAX_AUDIO_SECONDS };
/** The formats a browser records in, best first; the server checks the bytes whatever is chosen. */
const RECORD_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4"];

/**
 * One recording place ("the word", "a hint", a story page): what is recorded now, with Play and
 * Delete; Start/Stop recording with the microphone, a preview to listen to, then Save; or a file to
 * upload. Without JavaScript (or a microphone) the upload form still works on its own.
 */
export function VoiceSlot(props: { slot: string; heading: string; hint?: string; clip: Clip; headingId: string; level?: 2 | 3 }) {
  const { slot, heading, hint, clip, headingId } = props;
  const Heading = props.level === 3 ? "h3" : "h2";
  const { t, i18n } = useTranslation("voice");
  const fetcher = useFetcher<Answer>();
  const busy = fetcher.state !== "idle";
  const [localError, setLocalError] = useState<string | null>(null);
  // The page's own answer is this slot's when the form was sent without JavaScript.
  const pageAnswer = useActionData<Answer>();
  const answer = fetcher.state === "idle" ? (fetcher.data ?? (pageAnswer?.slot === slot ? pageAnswer : undefined)) : undefined;
  const error = localError ?? (answer && !answer.ok ? t(answer.error, LIMITS) : null);
  const done = answer?.ok ? t(answer.intent === "save" ? "saved" : "deleted") : null;
  // Saving replaces the recorder and deleting removes the Delete button: if focus went with them, it
  // comes back to this slot's heading (the status line says what happened).
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusWhenLost(headingRef, answer);

  function submitRecording(blob: Blob) {
    setLocalError(null);
    const fd = new FormData();
    fd.set("intent", "save");
    fd.set("slot", slot);
    const ext = blob.type.includes("mp4") ? "m4a" : blob.type.includes("ogg") ? "ogg" : "webm";
    fd.set("audio", new File([blob], `recording.${ext}`, { type: blob.type }));
    fetcher.submit(fd, { method: "post", encType: "multipart/form-data" });
  }

  return (
    <section className="voice-slot" aria-labelledby={headingId}>
      <Heading id={headingId} ref={headingRef} tabIndex={-1}>
        {heading}
      </Heading>
      {hint ? <p className="hint">{hint}</p> : null}
      {clip ? (
        <div className="voice-current">
          <p>{t("slot.yours", { seconds: formatSeconds(clip.durationMs, i18n.language) })}</p>
          {/* eslint-disable-next-line jsx-a11y/media-has-caption -- a few seconds saying the word or hint written on this page: its text is there */}
          <audio
            controls
            preload="metadata"
            src={clip.url}
            aria-label={t("common:punct.labelled", { label: t("slot.listen"), value: heading })}
          />
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="slot" value={slot} />
            <SubmitButton busy={busy} className="button danger">
              {t("delete")}
            </SubmitButton>
          </fetcher.Form>
        </div>
      ) : (
        <p>{t("slot.none")}</p>
      )}
      {/* A new recording on the server starts the recorder afresh (no stale preview to save twice). */}
      <Recorder key={clip?.url ?? "none"} onSave={submitRecording} busy={busy} heading={heading} />
      <fetcher.Form
        method="post"
        encType="multipart/form-data"
        className="voice-upload"
        onSubmit={(e) => {
          const input = e.currentTarget.elements.namedItem("audio") as HTMLInputElement | null;
          const file = input?.files?.[0];
          // Refused here already, before 2 MB travel for nothing; the server checks again.
          if (!file) {
            e.preventDefault();
            setLocalError(t("errors.required"));
          } else if (file.size > MAX_AUDIO_BYTES) {
            e.preventDefault();
            setLocalError(t("errors.tooLarge", LIMITS));
          } else setLocalError(null);
        }}
      >
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="slot" value={slot} />
        <label htmlFor={`${headingId}-file`}>{t("upload.label")}</label>
        <input id={`${headingId}-file`} type="file" name="audio" accept={AUDIO_ACCEPT} aria-describedby={`${headingId}-msg`} />
        <SubmitButton busy={busy} className="button">
          {t("upload.submit")}
        </SubmitButton>
      </fetcher.Form>
      <div id={`${headingId}-msg`}>
        <p role="alert" className={error ? "field-error" : undefined}>
          {error}
        </p>
        <p role="status">{done}</p>
      </div>
    </section>
  );
}

type RecState = { phase: "idle" } | { phase: "recording" } | { phase: "recorded"; blob: Blob; url: string; atLimit: boolean };

/** Start/Stop with MediaRecorder; the recording stops by itself at the length limit. */
function Recorder({ onSave, busy, heading }: { onSave: (blob: Blob) => void; busy: boolean; heading: string }) {
  const { t } = useTranslation("voice");
  const [supported, setSupported] = useState<boolean | null>(null);
  const [state, setState] = useState<RecState>({ phase: "idle" });
  const [problem, setProblem] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  useEffect(() => setSupported(typeof MediaRecorder !== "undefined" && !!navigator.mediaDevices?.getUserMedia), []);
  useEffect(() => () => recorder.current?.stream.getTracks().forEach((tr) => tr.stop()), []);
  useEffect(() => {
    if (state.phase === "recording") stopButton.current?.focus();
    if (state.phase === "recorded") saveButton.current?.focus();
  }, [state.phase]);

  async function start() {
    setProblem(null);
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      const name = (e as DOMException).name;
      setProblem(t(name === "NotAllowedError" || name === "SecurityError" ? "record.denied" : "record.noMic"));
      return;
    }
    const mimeType = RECORD_TYPES.find((m) => MediaRecorder.isTypeSupported(m));
    const rec = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const chunks: Blob[] = [];
    let atLimit = false;
    const limit = setTimeout(
      () => {
        atLimit = true;
        if (rec.state === "recording") rec.stop();
      },
      (MAX_AUDIO_SECONDS - 1) * 1000,
    );
    rec.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
    rec.onstop = () => {
      clearTimeout(limit);
      stream.getTracks().forEach((tr) => tr.stop());
      const blob = new Blob(chunks, { type: rec.mimeType || "audio/webm" });
      setState({ phase: "recorded", blob, url: URL.createObjectURL(blob), atLimit });
    };
    recorder.current = rec;
    rec.start();
    setState({ phase: "recording" });
  }

  useEffect(() => {
    if (state.phase !== "recorded") return;
    return () => URL.revokeObjectURL(state.url);
  }, [state]);

  if (supported === null) return null;
  if (!supported) return <p className="hint">{t("record.unsupported")}</p>;
  return (
    <div className="voice-recorder">
      {state.phase === "recording" ? (
        <>
          <p role="status">{t("record.recording")}</p>
          <button ref={stopButton} type="button" className="button primary" onClick={() => recorder.current?.stop()}>
            {t("record.stop")}
          </button>
        </>
      ) : (
        <button type="button" className="button primary" onClick={() => void start()}>
          {state.phase === "recorded" ? t("record.again") : t("record.start")}
          <span className="visually-hidden">: {heading}</span>
        </button>
      )}
      {state.phase === "recorded" ? (
        <div className="voice-preview">
          {state.atLimit ? <p role="status">{t("record.stoppedAtLimit", { seconds: MAX_AUDIO_SECONDS })}</p> : null}
          <p>{t("record.preview")}</p>
          {/* eslint-disable-next-line jsx-a11y/media-has-caption -- a few seconds saying the word or hint written on this page: its text is there */}
          <audio controls src={state.url} aria-label={t("record.preview")} />
          <button
            ref={saveButton}
            type="button"
            className="button primary"
            aria-disabled={busy || undefined}
            onClick={() => {
              if (!busy) onSave(state.blob);
            }}
          >
            {t("record.save")}
          </button>
        </div>
      ) : null}
      {problem ? (
        <p role="alert" className="field-error">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

import nodemailer, { type Transporter } from "nodemailer";
import PQueue from "p-queue";

/**
 * Outgoing email (password reset links, sign-up confirmations). The transport comes from `SMTP_URL`
 * (e.g. smtp://user:pass@mail.example:587); without it, in development, the message (and so its link)
 * is written to the server log instead.
 *
 * Messages are sent in the background, one queue per process: a form's answer must not wait on (or be
 * timed by) the mail server, or the time it takes would tell whether an email has an account.
 */
export type Mail = { to: string; subject: string; text: string };

const FROM = () => process.env.SMTP_FROM ?? "Tablero <no-reply@tablero.invalid>";

const g = globalThis as unknown as { __tableroMail?: { queue: PQueue; transport?: Transporter; url?: string } };
const state = (g.__tableroMail ??= { queue: new PQueue({ concurrency: 2 }) });

function transport(): Transporter | null {
  const url = process.env.SMTP_URL;
  if (!url) return null;
  if (state.url !== url) {
    state.transport = nodemailer.createTransport(url);
    state.url = url;
  }
  return state.transport!;
}

async function deliver(mail: Mail): Promise<void> {
  const t = transport();
  if (!t) {
    // Development: the person running the server reads the link here.
    console.info(`[mail] (no SMTP_URL) to ${mail.to}: ${mail.subject}\n${mail.text}`);
    return;
  }
  await t.sendMail({ from: FROM(), to: mail.to, subject: mail.subject, text: mail.text });
}

/** Queues a message; a failure is logged, never shown to whoever submitted the form (it would tell them something). */
export function sendMail(mail: Mail): void {
  void state.queue.add(async () => {
    try {
      await deliver(mail);
    } catch (e) {
      console.error(`[mail] could not send "${mail.subject}"`, e);
    }
  });
}

/** Resolves when every queued message has been handed to the transport (tests, graceful shutdown). */
export function mailIdle(): Promise<void> {
  return state.queue.onIdle();
}

/**
 * The address links in emails point at. `TABLERO_PUBLIC_URL` in production: the request's own Host
 * header is the client's to write, and a reset link must never point at a host an attacker chose.
 */
export function publicOrigin(request: Request): string {
  return (process.env.TABLERO_PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, "");
}

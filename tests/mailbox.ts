import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a free local port that keeps what it receives: tests point the app's
 * `SMTP_URL` at it and read the messages (and their links) as a person would from their inbox.
 */
export type Message = { to: string[]; raw: string; text: string };
export type Mailbox = {
  url: string;
  messages: Message[];
  waitFor: (to: string, match?: RegExp, timeoutMs?: number) => Promise<Message>;
  close: () => Promise<void>;
};

/** The text body of a simple (single-part, 7bit / quoted-printable) message. */
function bodyOf(raw: string): string {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join("\n\n");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    body = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    body = Buffer.from(body, "latin1").toString("utf8");
  } else if (/content-transfer-encoding:\s*base64/i.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  return body;
}

export async function startMailbox(): Promise<Mailbox> {
  const messages: Message[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, text: bodyOf(raw) });
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
    server.on("error", reject);
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.find((x) => x.to.includes(to.toLowerCase()) && (!match || match.test(x.text)));
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no message to ${to} matching ${match} (got ${messages.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a message that goes to `path` (e.g. "/reset-password/"). */
export function linkIn(message: Message, path: string): string {
  const m = message.text.match(new RegExp(`https?://\\S+${path.replace(/[/]/g, "\\/")}\\S*`));
  if (!m) throw new Error(`no ${path} link in: ${message.text}`);
  return m[0];
}

type PageLike = {
  goto: (url: string) => Promise<unknown>;
  getByRole: (role: "button", opts: { name: string }) => { click: () => Promise<void> };
  waitForURL: (url: (u: URL) => boolean) => Promise<void>;
};

/**
 * After the sign-up form said "check your email": opens the link the app mailed to `email` and
 * presses "Create my account", as the newcomer would (docs/decisions/0016-accounts.md).
 */
export async function confirmSignUpByEmail(page: PageLike, mailbox: Mailbox, email: string): Promise<void> {
  const link = linkIn(await mailbox.waitFor(email, /signup\/confirm/), "/signup/confirm/");
  await page.goto(link);
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signup"));
}

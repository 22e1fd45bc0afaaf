import { request as httpRequest, type IncomingHttpHeaders } from "node:http";

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string; ms: number };

/** One request through node:http, so headers a browser would set (Origin, Sec-Fetch-Site) are ours to forge. */
export function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: Date.now() - started }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

/**
 * Streams a large body (`total` bytes, in 1 MB pieces, as fast as the socket takes them) and resolves
 * with the answer as soon as it comes — usually long before the body is through — plus how much was sent.
 */
export function sendHuge(url: string, total: number, headers: Record<string, string>): Promise<Answer & { sentBytes: number }> {
  const started = Date.now();
  const piece = Buffer.alloc(1024 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = httpRequest(url, { method: "POST", headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      const finish = () => {
        if (done) return;
        done = true;
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: Date.now() - started, sentBytes: sent });
      };
      res.on("end", finish);
      res.on("close", finish);
    });
    // Once the server has answered and closed, writing fails: that is the point, not an error. A failure
    // before any answer is one (the answer was lost, or never sent): say so now rather than hang.
    let answered = false;
    req.on("response", () => (answered = true));
    req.on("error", (e) => {
      if (done || answered) return;
      done = true;
      reject(new Error(`no answer after ${sent} bytes sent: ${e.message}`));
    });
    const pump = () => {
      while (!done && sent < total) {
        const n = Math.min(piece.length, total - sent);
        sent += n;
        if (!req.write(n === piece.length ? piece : piece.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!done && sent >= total) req.end();
    };
    pump();
  });
}

/** The name=value of a Set-Cookie header, by cookie name. */
export function cookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  return (headers["set-cookie"] ?? []).find((c) => c.startsWith(`${name}=`));
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

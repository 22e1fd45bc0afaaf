import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Translator } from "./index";

/** Pairs installed by Debian's apertium-eng-spa and apertium-fr-es, by "from>to". */
const PAIRS: Record<string, string> = { "es>en": "spa-eng", "en>es": "eng-spa", "fr>es": "fr-es", "es>fr": "es-fr" };

export type ApertiumOptions = {
  /** The `apertium` script (used to list the pairs, and for one-shot calls when streaming is not possible). */
  bin?: string;
  /** Folder of the `.mode` files (Apertium's own default: $APERTIUM_DATADIR/modes). */
  modesDir?: string;
  /** A call waits at most this long (plus `perTextMs` per text) before giving back the texts untranslated. */
  timeoutMs?: number;
  perTextMs?: number;
  /** Translations remembered per direction (least recently used out first); 0 turns the cache off. */
  cacheSize?: number;
  /** false: one `apertium` process per call, as before (slow: ~0.2 s of start-up each). */
  stream?: boolean;
};

/**
 * Translates with Debian's Apertium when it is installed (optional at run time).
 *
 * One long-lived pipeline per direction: the programs of the pair's mode file (lt-proc,
 * apertium-tagger, …, each with -z), started once and kept. Each call's texts are written in
 * Apertium's stream format as one unit followed by a NUL; with -z every stage flushes at a NUL and
 * passes it on, so one NUL comes out per call, in order. A text costs ~1 ms instead of ~0.2 s of process start-up. A call that takes too
 * long (or a pipeline that dies) gives back the texts untranslated, never hangs, and the next call
 * starts a fresh pipeline. Without `apertium-wblank-mode` it falls back to one `apertium` run per call.
 */
export class ApertiumTranslator implements Translator {
  readonly id = "apertium";
  private readonly available: Set<string>;
  private readonly bin: string;
  private readonly modesDir: string;
  private readonly o: Required<Pick<ApertiumOptions, "timeoutMs" | "perTextMs" | "cacheSize" | "stream">>;
  private readonly streams = new Map<string, ApertiumStream | null>();
  private readonly caches = new Map<string, Lru>();

  constructor(options: ApertiumOptions | string = {}) {
    const o = typeof options === "string" ? { bin: options } : options;
    this.bin = o.bin ?? "apertium";
    this.modesDir = o.modesDir ?? join(process.env.APERTIUM_DATADIR ?? "/usr/share/apertium", "modes");
    this.o = { timeoutMs: o.timeoutMs ?? 3000, perTextMs: o.perTextMs ?? 100, cacheSize: o.cacheSize ?? 5000, stream: o.stream ?? true };
    const probe = spawnSync(this.bin, ["-l"], { encoding: "utf8" });
    this.available = new Set(probe.status === 0 ? probe.stdout.split(/\s+/).filter(Boolean) : []);
  }

  canTranslate(from: string): boolean {
    return this.canTranslateBetween(from, "en");
  }

  canTranslateBetween(from: string, to: string): boolean {
    const pair = PAIRS[`${from}>${to}`];
    return !!pair && this.available.has(pair);
  }

  toEnglish(texts: string[], from: string): Promise<string[]> {
    return this.translate(texts, from, "en");
  }

  /**
   * Starts the pipelines now (each loads its dictionaries once, ~0.15 s), so no searcher waits for it.
   * Spanish→French is not started: nothing asks for it (French is reached from English by dictionary).
   */
  warm(directions = ["es>en", "en>es", "fr>es"]): void {
    for (const d of directions) {
      const pair = PAIRS[d];
      if (pair && this.available.has(pair)) this.stream(pair);
    }
  }

  /** Stops the pipelines (they also end by themselves when this process exits: their input closes). */
  close(): void {
    for (const s of this.streams.values()) s?.kill();
    this.streams.clear();
  }

  /** The process group id of a direction's running pipeline (tests check it is gone after exit). */
  pipelinePid(from: string, to: string): number | undefined {
    return this.streams.get(PAIRS[`${from}>${to}`] ?? "")?.pid;
  }

  async translate(texts: string[], from: string, to: string): Promise<string[]> {
    const pair = PAIRS[`${from}>${to}`];
    if (!pair || !this.available.has(pair) || texts.length === 0) return texts;
    // One text per paragraph, as a one-shot `apertium` run reads them; inner newlines would split a
    // text in two. The tagger reads a call's paragraphs as one stream (a word's neighbours across a
    // paragraph break count), so a batch goes through as one unit: the same output as one run.
    const paragraphs = texts.map((t) => t.replace(/\s*\n\s*/g, " ").trim() || ".");
    // Single texts (search queries) are remembered; a batch's texts depend on their neighbours.
    const cache = texts.length === 1 ? this.cacheFor(pair) : null;
    const hit = cache?.get(paragraphs[0]!);
    if (hit !== undefined) return [hit];
    const stream = this.stream(pair);
    let parts = await (stream ? stream.translate(paragraphs, texts.length > 1) : this.once(pair, paragraphs)).catch(() => null);
    if (!parts && stream && texts.length > 1) {
      // A batch (indexing) is worth a one-shot run rather than being stored untranslated; a failure
      // there too is thrown, so the indexing pass fails and the next one tries again.
      parts = await this.once(pair, paragraphs);
    }
    // A query that timed out, or paragraphs that did not survive one to one: the originals, never misaligned.
    if (!parts || parts.length < texts.length) return texts;
    const out = texts.map((t, i) => parts[i] || t);
    if (cache && parts[0]) cache.set(paragraphs[0]!, out[0]!);
    return out;
  }

  private cacheFor(pair: string): Lru | null {
    if (this.o.cacheSize <= 0) return null;
    let c = this.caches.get(pair);
    if (!c) this.caches.set(pair, (c = new Lru(this.o.cacheSize)));
    return c;
  }

  private stream(pair: string): ApertiumStream | null {
    if (!this.o.stream) return null;
    if (!this.streams.has(pair)) this.streams.set(pair, ApertiumStream.forMode(join(this.modesDir, `${pair}.mode`), this.o));
    const s = this.streams.get(pair)!;
    // Three failed starts in a row: give up streaming for this direction and run one process per call.
    if (s?.brokenStarts && s.brokenStarts >= 3) {
      s.kill();
      this.streams.set(pair, null);
      return null;
    }
    return s;
  }

  /** One `apertium` run for a whole batch: texts as paragraphs separated by blank lines. */
  private async once(pair: string, paragraphs: string[]): Promise<string[]> {
    const texts = paragraphs;
    const input = paragraphs.join("\n\n") + "\n";
    // apertium reads a file: Node's stdin for a child is a socket, which its scripts cannot open.
    const dir = mkdtempSync(join(tmpdir(), "apertium-"));
    const [inFile, outFile] = [join(dir, "in.txt"), join(dir, "out.txt")];
    writeFileSync(inFile, input);
    let output: string;
    try {
      await new Promise<void>((resolve, reject) => {
        const p = spawn(this.bin, ["-u", pair, inFile, outFile], { stdio: "ignore" });
        const timer = setTimeout(
          () => (p.kill("SIGKILL"), reject(new Error("apertium timed out"))),
          this.o.timeoutMs + this.o.perTextMs * texts.length,
        );
        p.on("error", (e) => (clearTimeout(timer), reject(e)));
        p.on("close", (code) => (clearTimeout(timer), code === 0 ? resolve() : reject(new Error(`apertium exited ${code}`))));
      });
      output = readFileSync(outFile, "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const parts = output.split(/\n\s*\n/).map((s) => s.trim());
    // If paragraphs did not survive one to one, keep the originals rather than misalign them.
    if (parts.length < texts.length) return texts.map(() => ""); // misaligned: the caller keeps the originals
    return texts.map((_, i) => parts[i] ?? "");
  }
}

/**
 * Paragraphs of plain text in Apertium's stream format, as `apertium-destxt` writes them: the format's
 * own characters escaped, "~" and any whitespace but a single space kept out of translation in
 * superblanks, and each paragraph's end marked by an inserted full stop and a blank holding its line
 * breaks. The unit ends with a NUL: in null-flush mode every stage flushes there and passes it on.
 */
export function deformat(paragraphs: string[]): string {
  const one = (p: string) =>
    p
      .replace(/[\\[\]^$/@<>{}]/g, (c) => `\\${c}`)
      // eslint-disable-next-line no-control-regex
      .replace(/\u0000/g, " ")
      .replace(/(?:\s|~)+/g, (m) => (m === " " ? m : `[${m}]`));
  return paragraphs.map((p) => one(p) + ".").join("[][\n\n]") + "[][\n]\0";
}

/**
 * Back from one unit of the stream format, one string per paragraph: what `apertium-retxt` does (an
 * inserted full stop before an empty blank goes, blanks give back what they hold, escapes are undone),
 * then the text split at blank lines, as a one-shot run's output was read.
 */
export function reformat(unit: string): string[] {
  let out = "";
  for (let i = 0; i < unit.length; i++) {
    const c = unit[i]!;
    if (c === "\\" && i + 1 < unit.length) out += unit[++i];
    else if (c === "." && unit.startsWith("[]", i + 1))
      i += 2; // an inserted full stop
    else if (c === "[") {
      let j = i + 1;
      for (; j < unit.length && unit[j] !== "]"; j++) {
        if (unit[j] === "\\" && j + 1 < unit.length) out += unit[++j];
        else out += unit[j];
      }
      i = j;
    } else out += c;
  }
  return out.split(/\n\s*\n/).map((p) => p.trim());
}

type Pending = { resolve: (out: string[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; fresh: boolean };

/** Processes still running when this process exits are stopped with it. */
const live = new Set<ApertiumStream>();
process.once("exit", () => {
  for (const s of live) s.kill();
});

/** One direction's long-lived pipeline; calls are queued in order and answered in order. */
class ApertiumStream {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buffer = "";
  private readonly queue: Pending[] = [];
  /** Consecutive starts that died or timed out before answering anything. */
  brokenStarts = 0;
  private answered = false;
  /** The running pipeline has been given text (its tagger may carry state into the next unit). */
  private used = false;

  private constructor(
    private readonly pipeline: string,
    private readonly o: { timeoutMs: number; perTextMs: number },
  ) {}

  /** The mode file's pipeline with null-flush on every stage, or null when that cannot be had. */
  static forMode(modeFile: string, o: { timeoutMs: number; perTextMs: number }): ApertiumStream | null {
    if (!existsSync(modeFile)) return null;
    const r = spawnSync("apertium-wblank-mode", ["-z", modeFile], { encoding: "utf8" });
    const pipeline = r.status === 0 ? r.stdout.trim() : "";
    return pipeline ? new ApertiumStream(pipeline, o) : null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * One call's paragraphs as one unit; resolves with one translation per paragraph (or fewer, if lost).
   * `fresh`: through a pipeline that has translated nothing yet, so the output is exactly a one-shot
   * run's (apertium-tagger -z carries some state from one unit to the next; single words are not
   * affected in our tests, batches of sentences are, a little). A fresh spare is started as soon as
   * such a call is answered, so the next batch does not wait for the dictionaries to load.
   */
  translate(paragraphs: string[], fresh = false): Promise<string[]> {
    return new Promise((resolve, reject) => {
      if (fresh && this.used && !this.queue.length) this.kill();
      const child = this.start();
      if (!child) return reject(new Error("apertium pipeline did not start"));
      const timer = setTimeout(() => this.fail(new Error("apertium timed out")), this.o.timeoutMs + this.o.perTextMs * paragraphs.length);
      this.queue.push({ resolve, reject, timer, fresh });
      this.used = true;
      child.stdin.write(deformat(paragraphs));
    });
  }

  kill(): void {
    const child = this.child;
    this.child = null;
    live.delete(this);
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGKILL"); // the whole process group: bash and every stage
    } catch {
      /* already gone */
    }
  }

  private start(): ChildProcessWithoutNullStreams | null {
    if (this.child) return this.child;
    // $1 = -n: unknown words without the '*' mark (apertium -u); $2: the tagger's options (none).
    const child = spawn("bash", ["-c", this.pipeline, "apertium", "-n", ""], {
      detached: true, // its own process group, so kill() reaches every stage
      stdio: ["pipe", "pipe", "ignore"] as never,
      env: { ...process.env, LC_ALL: "C.UTF-8" },
    }) as unknown as ChildProcessWithoutNullStreams;
    this.child = child;
    this.answered = false;
    this.used = false;
    this.buffer = "";
    live.add(this);
    // Neither the pipeline nor its pipes keep this process alive; a waiting call's timer does.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => this.read(child, d));
    child.stdin.on("error", () => this.child === child && this.fail(new Error("apertium pipeline closed its input")));
    child.on("error", () => this.child === child && this.fail(new Error("apertium pipeline failed")));
    child.on("exit", () => this.child === child && this.fail(new Error("apertium pipeline exited")));
    return child;
  }

  private read(child: ChildProcessWithoutNullStreams, data: string) {
    if (this.child !== child) return;
    this.buffer += data;
    let nul: number;
    while ((nul = this.buffer.indexOf("\0")) >= 0) {
      const piece = this.buffer.slice(0, nul);
      this.buffer = this.buffer.slice(nul + 1);
      const head = this.queue.shift();
      if (!head) continue; // stages flush once more at end of input; nothing is waiting for that
      clearTimeout(head.timer);
      this.answered = true;
      this.brokenStarts = 0;
      head.resolve(reformat(piece));
      if (head.fresh && !this.queue.length) {
        // A batch leaves the pipeline "used": start a fresh spare now, off the next call's path.
        this.kill();
        this.start();
        return;
      }
    }
  }

  /** Every waiting call gets an error (its texts stay untranslated); the next call starts afresh. */
  private fail(e: Error) {
    if (!this.answered) this.brokenStarts++;
    this.kill();
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.timer);
      p.reject(e);
    }
  }
}

/** A bounded map, least recently used out first. */
class Lru {
  private readonly map = new Map<string, string>();
  constructor(private readonly max: number) {}
  get(key: string): string | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: string) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

export const noTranslator: Translator = {
  id: "none",
  canTranslate: () => false,
  toEnglish: async (texts) => texts,
  canTranslateBetween: () => false,
  translate: async (texts) => texts,
};

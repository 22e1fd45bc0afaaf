import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Translator } from "./index";

/** Pairs installed by Debian's apertium-eng-spa, by "from>to". */
const PAIRS: Record<string, string> = { "es>en": "spa-eng", "en>es": "eng-spa" };

/**
 * Translates with Debian's `apertium` when it is installed (optional at run time). Texts go in one
 * call as paragraphs separated by blank lines: each call costs ~0.3 s of start-up, so batch.
 */
export class ApertiumTranslator implements Translator {
  readonly id = "apertium";
  private readonly available: Set<string>;

  constructor(bin = "apertium") {
    const probe = spawnSync(bin, ["-l"], { encoding: "utf8" });
    this.available = new Set(probe.status === 0 ? probe.stdout.split(/\s+/).filter(Boolean) : []);
    this.bin = bin;
  }
  private readonly bin: string;

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

  async translate(texts: string[], from: string, to: string): Promise<string[]> {
    const pair = PAIRS[`${from}>${to}`];
    if (!pair || !this.available.has(pair) || texts.length === 0) return texts;
    // One text per paragraph; inner newlines would split a text in two.
    const input = texts.map((t) => t.replace(/\s*\n\s*/g, " ").trim() || ".").join("\n\n") + "\n";
    // apertium reads a file: Node's stdin for a child is a socket, which its scripts cannot open.
    const dir = mkdtempSync(join(tmpdir(), "apertium-"));
    const [inFile, outFile] = [join(dir, "in.txt"), join(dir, "out.txt")];
    writeFileSync(inFile, input);
    let output: string;
    try {
      await new Promise<void>((resolve, reject) => {
        const p = spawn(this.bin, ["-u", pair, inFile, outFile], { stdio: "ignore" });
        p.on("error", reject);
        p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`apertium exited ${code}`))));
      });
      output = readFileSync(outFile, "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const parts = output.split(/\n\s*\n/).map((s) => s.trim());
    // If paragraphs did not survive one to one, keep the originals rather than misalign them.
    return parts.length >= texts.length ? texts.map((t, i) => parts[i] || t) : texts;
  }
}

export const noTranslator: Translator = {
  id: "none",
  canTranslate: () => false,
  toEnglish: async (texts) => texts,
  canTranslateBetween: () => false,
  translate: async (texts) => texts,
};

/**
 * Turns an import file's bytes into text (issue 12, finding 10). Spreadsheet programs save CSV in
 * many encodings: Excel on Windows in Spanish writes Windows-1252 ("piña" as 70 69 F1 61), "Unicode
 * text" is UTF-16 with a byte-order mark, and others write UTF-8 with or without one. Reading every
 * file as UTF-8 turned ñ into "�" with no word to the user, and UTF-16 into a header error.
 *
 *  - a byte-order mark decides: UTF-8, UTF-16 LE or UTF-16 BE;
 *  - without one, UTF-16 is recognised by its zero bytes (ASCII text in UTF-16 has one in every pair);
 *  - else bytes that are valid UTF-8 are UTF-8 (plain ASCII is both);
 *  - else the file is read as Windows-1252 (a superset of Latin-1 that every byte decodes in) and a
 *    warning says so, so the user can check the words and re-save as UTF-8 if they look wrong.
 *
 * A NUL character left after decoding means a damaged or binary file (it silently cut a title at the
 * NUL before): the file is refused with the line it is on. Pure; used by the web import and the CLI.
 */

export type ImportEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
export type ImportWarningKey = "import.warnings.windows1252" | "import.warnings.utf16NoBom";
export type DecodeErrorKey = "import.errors.nul";

export type Decoded =
  { ok: true; text: string; encoding: ImportEncoding; warnings: ImportWarningKey[] } | { ok: false; error: DecodeErrorKey; line: number };

export function decodeImport(bytes: Uint8Array): Decoded {
  const warnings: ImportWarningKey[] = [];
  let encoding: ImportEncoding;
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = "utf-8";
    text = new TextDecoder("utf-8").decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = "utf-16le";
    text = utf16(bytes.subarray(2), true);
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = "utf-16be";
    text = utf16(bytes.subarray(2), false);
  } else if (looksUtf16(bytes) !== null) {
    const le = looksUtf16(bytes)!;
    encoding = le ? "utf-16le" : "utf-16be";
    text = utf16(bytes, le);
    warnings.push("import.warnings.utf16NoBom");
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      encoding = "utf-8";
    } catch {
      text = windows1252(bytes);
      encoding = "windows-1252";
      warnings.push("import.warnings.windows1252");
    }
  }
  const nul = text.indexOf("\u0000");
  if (nul !== -1) return { ok: false, error: "import.errors.nul", line: lineAt(text, nul) };
  return { ok: true, text, encoding, warnings };
}

/** 1-based line of an offset, counting \r\n, \n and lone \r as one line end (as parseImport does). */
function lineAt(text: string, offset: number): number {
  const before = text.slice(0, offset).replace(/\r\n?/g, "\n");
  let line = 1;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) line++;
  return line;
}

function utf16(bytes: Uint8Array, littleEndian: boolean): string {
  // Decoded by hand: Node's TextDecoder has no "utf-16be" without full ICU.
  const n = bytes.length >> 1;
  const units = new Uint16Array(n);
  for (let i = 0; i < n; i++) units[i] = littleEndian ? bytes[2 * i]! | (bytes[2 * i + 1]! << 8) : (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  let out = "";
  for (let i = 0; i < n; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out;
}

/** true for UTF-16 LE, false for BE, null when the bytes do not look like UTF-16 without a BOM. */
function looksUtf16(bytes: Uint8Array): boolean | null {
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = sample / 2;
  // Text in Latin letters has a zero high byte in nearly every pair, and almost never a zero low byte.
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return true;
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return false;
  return null;
}

/** Windows-1252's 0x80–0x9F (the rest is Latin-1); undefined bytes keep their Latin-1 code point. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

function windows1252(bytes: Uint8Array): string {
  let out = "";
  const chunk: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    chunk.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    if (chunk.length === 8192) {
      out += String.fromCharCode(...chunk);
      chunk.length = 0;
    }
  }
  return out + String.fromCharCode(...chunk);
}

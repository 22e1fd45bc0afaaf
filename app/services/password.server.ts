import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import PQueue from "p-queue";

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((res, rej) => scryptCb(pw, salt, len, opts, (err, key) => (err ? rej(err) : res(key))));

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs 128 MiB; maxmem must allow it.
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 32;

/**
 * Finding 9: every hash runs through one small queue. At most HASH_CONCURRENCY hashes use the thread
 * pool at once (the rest of the pool stays free for picture reads; serve.ts also enlarges the pool),
 * and at most HASH_QUEUE_MAX wait; past that the caller gets PasswordBusyError at once — a
 * translated "busy, try again in a moment" — instead of a pile of 128 MiB jobs.
 */
export const HASH_CONCURRENCY = 2;
export const HASH_QUEUE_MAX = 32;
/** Exported for tests, which fill it with jobs they control instead of seconds of real hashing. */
export const hashQueue = new PQueue({ concurrency: HASH_CONCURRENCY });
const queue = hashQueue;

export class PasswordBusyError extends Error {
  constructor() {
    super("password hashing queue is full");
    this.name = "PasswordBusyError";
  }
}

export function hashQueueLength(): number {
  return queue.size + queue.pending;
}

function queued<T>(job: () => Promise<T>): Promise<T> {
  if (queue.size >= HASH_QUEUE_MAX) return Promise.reject(new PasswordBusyError());
  return queue.add(job) as Promise<T>;
}

/** Hash format: scrypt$N$r$p$saltB64$hashB64, so parameters can rise later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await queued(() => scrypt(password.normalize("NFKC"), salt, KEYLEN, { ...PARAMS, maxmem: 256 * 1024 * 1024 }));
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, r, p, saltB64, hashB64] = stored.split("$");
  if (algo !== "scrypt" || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, "base64");
  const key = await queued(() =>
    scrypt(password.normalize("NFKC"), Buffer.from(saltB64, "base64"), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 256 * 1024 * 1024,
    }),
  );
  return timingSafeEqual(key, expected);
}

/** A hash of a random password: verifying against it costs as much as a real one (no user enumeration by timing). */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex")).catch((e: unknown) => {
    dummy = undefined; // a busy queue now is no reason to fail every later sign-in
    throw e;
  });
  return dummy;
}

/**
 * Runs work that hashes or checks a password; a full hashing queue becomes "busy" (the form says
 * "busy, try again in a moment" and keeps what was typed) instead of a 500.
 */
export async function unlessBusy<T>(work: () => Promise<T>): Promise<T | "busy"> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof PasswordBusyError) return "busy";
    throw e;
  }
}

/**
 * Two processes on one PostgreSQL database, each with its own in-memory graph and vector index fed by
 * the change feed (the same topics as SQLite's): a card put on a public board by process A is found by a
 * search answered from process B's graph within 2 s, its vector reaches B's index, and a board made
 * private leaves B's graph.
 * These are SERVICE processes (tests/pg/fixtures/search-node.ts), not two copies of the app: the app's
 * services still run on SQLite only (docs/decisions/0021-postgresql.md says what is left).
 */
import { fork, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPg } from "../../db/pg/client";
import { freshDatabase } from "./db";

type Reply = {
  id?: number;
  ready?: boolean;
  pid?: number;
  cards?: number;
  pinId?: number;
  ids?: number[];
  nearest?: number | null;
  error?: string;
};

class Node {
  private next = 1;
  private waiting = new Map<number, (r: Reply) => void>();
  readonly ready: Promise<Reply>;
  constructor(readonly proc: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      proc.once("exit", (code) => reject(new Error(`node exited early (${code})`)));
      proc.on("message", (r: Reply) => {
        if (r.ready) return resolve(r);
        if (r.id !== undefined) this.waiting.get(r.id)?.(r);
      });
    });
  }
  ask(msg: Record<string, unknown>): Promise<Reply> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => (r.error ? reject(new Error(r.error)) : resolve(r)));
      this.proc.send({ ...msg, id });
    });
  }
}

const start = (url: string, name: string) =>
  new Node(
    fork("tests/pg/fixtures/search-node.ts", [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, DATABASE_URL: url, NODE_NAME: name },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );

let a: Node;
let b: Node;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase("twonodes");
  drop = fresh.drop;
  await (await openPg(fresh.url)).close(); // migrate up front; the nodes would also do it, under the lock
  a = start(fresh.url, "A");
  b = start(fresh.url, "B");
  await Promise.all([a.ready, b.ready]);
}, 30_000);

afterAll(async () => {
  for (const n of [a, b]) if (n?.proc.connected) await n.ask({ op: "stop" }).catch(() => {});
  await drop?.();
});

describe("two processes on one PostgreSQL (service processes, not the full app)", () => {
  it("are really two processes", async () => {
    const [ra, rb] = await Promise.all([a.ready, b.ready]);
    expect(ra.pid).not.toBe(rb.pid);
    expect([ra.pid, rb.pid]).not.toContain(process.pid);
  });

  it("a card put on a public board in A is found by a search in B's graph within 2 s, and the other way round", async () => {
    for (const [writer, reader, word] of [
      [a, b, "xylophone"],
      [b, a, "zanahoria"],
    ] as const) {
      expect((await reader.ask({ op: "search", q: word })).ids).toEqual([]);
      const t0 = Date.now();
      const { pinId } = await writer.ask({ op: "create", title: `Blue ${word}` });
      let found: number[] = [];
      while (Date.now() - t0 < 2_000) {
        found = (await reader.ask({ op: "search", q: word })).ids!;
        if (found.length) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const elapsed = Date.now() - t0;
      expect(found, `found after ${elapsed} ms`).toEqual([pinId]);
      expect(elapsed).toBeLessThan(2_000);
    }
  });

  it("a card's vector written by A reaches B's in-memory vector index within 2 s", async () => {
    const v = Array.from({ length: 16 }, (_, i) => (i === 3 ? 1 : 0.01));
    await a.ask({ op: "create", title: "decoy", vec: Array.from({ length: 16 }, (_, i) => (i === 5 ? 1 : 0.01)) });
    const t0 = Date.now();
    const { pinId } = await a.ask({ op: "create", title: "pointy", vec: v });
    let nearest: number | null | undefined = null;
    while (Date.now() - t0 < 2_000) {
      nearest = (await b.ask({ op: "nearest", vec: v })).nearest;
      if (nearest === pinId) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(nearest).toBe(pinId);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("keeps following through a burst of writes from both", async () => {
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).ask({ op: "create", title: `burst card${i}` })));
    const want = made.map((m) => m.pinId!).sort((x, y) => x - y);
    const t0 = Date.now();
    for (const n of [a, b]) {
      let got: number[] = [];
      while (Date.now() - t0 < 2_000) {
        got = (await n.ask({ op: "search", q: "burst" })).ids!.sort((x, y) => x - y);
        if (got.length === want.length) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(got).toEqual(want);
    }
  });

  it("a board made private in A leaves B's graph within 2 s", async () => {
    const { pinId } = await a.ask({ op: "create", title: "Secret quokka" });
    const t0 = Date.now();
    const inB = async () => (await b.ask({ op: "search", q: "quokka" })).ids!;
    while (Date.now() - t0 < 2_000 && !(await inB()).length) await new Promise((r) => setTimeout(r, 10));
    expect(await inB()).toEqual([pinId]);
    await a.ask({ op: "hide" });
    const t1 = Date.now();
    let found = await inB();
    while (Date.now() - t1 < 2_000 && found.length) {
      await new Promise((r) => setTimeout(r, 10));
      found = await inB();
    }
    expect(found).toEqual([]);
    expect(Date.now() - t1).toBeLessThan(2_000);
  });
});

/**
 * The streaming replica as a pool that knows when it must not be used (issue 13: read-only requests
 * may go to a replica; docs/decisions/0023-postgresql-at-run-time.md).
 *
 * A replica is a copy that lags its primary by the time it takes to replay the primary's WAL: usually
 * milliseconds, but seconds or more under load, after a network cut, or forever when it is down. So
 * each node measures the lag itself, once per `probeEveryMs`, on a connection of its own (a busy pool
 * must not delay the measurement and make a healthy replica look late), and a read goes to the replica
 * only while the last measurement is recent and under `maxLagMs`. Otherwise — not measured yet, down,
 * lagging, not a standby at all — the same query is sent to the primary. A read that fails on the
 * replica for a reason the replica caused (connection refused or cut, the server shutting down, a
 * query cancelled by a replay conflict) is sent again to the primary at once, and the replica is not
 * used until the next probe finds it well: reads are safe to repeat, and a visitor should not see an
 * error page for the second between the replica dying and the next probe.
 */
import pg from "pg";

export type ReplicaLimits = {
  /** Replay lag above which reads go to the primary instead. */
  maxLagMs: number;
  /** How often each node measures the lag (one small query on the replica). */
  probeEveryMs: number;
  /** A probe not answered within this failed: a replica that hangs is treated as down. */
  probeTimeoutMs: number;
  /** A measurement older than this is not trusted (the probe stalled, the event loop was blocked). */
  staleAfterMs: number;
  /**
   * A replica that accepts no connection within this is treated as down (the read goes to the primary)
   * rather than holding the request until the operating system gives up.
   */
  connectTimeoutMs: number;
};

/**
 * The defaults. A reader can therefore see data at most maxLagMs + staleAfterMs old in the worst case
 * (the lag measured just under the limit, then replay stopping until the measurement expires); in
 * practice maxLagMs + probeEveryMs, since every probe refreshes it. The "wrote recently" pin
 * (app/services/read-routing.server.ts) lasts longer than that worst case.
 */
export const REPLICA_LIMITS: ReplicaLimits = {
  maxLagMs: 1000,
  probeEveryMs: 1000,
  probeTimeoutMs: 500,
  staleAfterMs: 3000,
  connectTimeoutMs: 5000,
};

/** TABLERO_REPLICA_MAX_LAG_MS and TABLERO_REPLICA_PROBE_MS override the defaults (tests shorten them). */
export function replicaLimitsFromEnv(env: Record<string, string | undefined> = process.env): ReplicaLimits {
  const num = (v: string | undefined, d: number) =>
    v !== undefined && v !== "" && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : d;
  const probeEveryMs = num(env.TABLERO_REPLICA_PROBE_MS, REPLICA_LIMITS.probeEveryMs);
  return {
    maxLagMs: num(env.TABLERO_REPLICA_MAX_LAG_MS, REPLICA_LIMITS.maxLagMs),
    probeEveryMs,
    probeTimeoutMs: Math.min(REPLICA_LIMITS.probeTimeoutMs, probeEveryMs),
    staleAfterMs: 3 * probeEveryMs,
    connectTimeoutMs: REPLICA_LIMITS.connectTimeoutMs,
  };
}

/** The last measurement: `lagMs` null when the replica could not say (down, not a standby, never replayed). */
export type ReplicaHealth = { at: number; lagMs: number | null; why?: string };

export function replicaUsable(h: ReplicaHealth | null, now: number, limits: ReplicaLimits): boolean {
  return !!h && h.lagMs !== null && h.lagMs <= limits.maxLagMs && now - h.at <= limits.staleAfterMs;
}

/**
 * The lag, cheaply: 0 when the WAL receiver is connected and everything received has been replayed;
 * otherwise the age of the last replayed commit (a stopped or cut-off replica ages, even when the
 * primary is idle: we cannot know what it has not received). Compares the replica's clock with the
 * primary's commit times, so clocks must agree (NTP) to well under maxLagMs.
 */
export const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS receiving,
  pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS replayed,
  (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS age_ms`;

type LagRow = { standby: boolean; receiving: boolean; replayed: boolean | null; age_ms: number | null };

export function lagFrom(r: LagRow): { lagMs: number | null; why?: string } {
  if (!r.standby) return { lagMs: null, why: "not a standby (pg_is_in_recovery() is false)" };
  if (r.receiving && r.replayed) return { lagMs: 0 };
  if (r.age_ms === null) return { lagMs: null, why: "nothing replayed yet" };
  return { lagMs: Math.max(0, r.age_ms), why: r.receiving ? "replaying" : "WAL receiver not connected" };
}

/** Errors the replica caused, after which the same read is sent to the primary. */
export function isReplicaFailure(e: unknown): boolean {
  const err = e as { code?: unknown; severity?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? err.code : "";
  // A server error: connection exceptions (08…), shutting down / cannot connect now (57P01–57P03),
  // too many connections, and a query cancelled by a conflict with recovery (40001 on a standby).
  if (typeof err?.severity === "string") return /^(08|57P0[1-3]|53300|40001)/.test(code);
  // No SQLSTATE: the socket (ECONNREFUSED, ECONNRESET…), or pg's own "Connection terminated…",
  // "timeout exceeded when trying to connect".
  return e instanceof Error;
}

type Options = {
  primary: pg.Pool;
  limits: ReplicaLimits;
  /** Called when the replica becomes usable or stops being so (the server logs it). */
  onChange?: (usable: boolean, health: ReplicaHealth) => void;
};

/**
 * A pg.Pool on the replica (drizzle sees a Pool, so its transactions still check out one client)
 * whose `query` — every query drizzle sends outside a transaction — and `connect` go to the primary
 * whenever the replica is not fit to answer. Probing starts with the first query, so scripts that never read
 * through it never probe.
 */
export class ReplicaPool extends pg.Pool {
  health: ReplicaHealth | null = null;
  readonly primary: pg.Pool;
  readonly limits: ReplicaLimits;
  private onChange?: Options["onChange"];
  private timer: ReturnType<typeof setInterval> | null = null;
  private prober: pg.Client | null = null;
  private probing: Promise<void> | null = null;
  private wasUsable = false;
  private stopped = false;

  constructor(config: pg.PoolConfig, o: Options) {
    super(config);
    this.primary = o.primary;
    this.limits = o.limits;
    this.onChange = o.onChange;
    // An idle client whose server went away emits "error" on the pool; unhandled, it would end the process.
    this.on("error", () => {});
  }

  usable(now = Date.now()): boolean {
    this.startProbing();
    return replicaUsable(this.health, now, this.limits);
  }

  // pg.Pool's query has many overloads; drizzle calls query(config, values) and awaits the promise.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const toPrimary = () => (this.primary.query as (...a: unknown[]) => unknown)(...args);
    if (!this.usable()) return toPrimary();
    const onReplica = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (typeof args[args.length - 1] === "function") return onReplica; // callback style: not drizzle's
    return (onReplica as Promise<unknown>).catch((e: unknown) => {
      // After end(): the process is closing, not the replica failing.
      if (this.stopped || !isReplicaFailure(e)) throw e;
      this.record({ at: Date.now(), lagMs: null, why: `read failed: ${(e as Error).message}` });
      return toPrimary();
    });
  }

  /**
   * A client of its own, for a transaction (drizzle's) or a read-only one (the trigram searches): the
   * replica's when it is fit, else — or when connecting to it fails — the primary's. pg-pool itself
   * calls connect(callback) for every query(): that one stays on the replica.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    if (typeof args[0] === "function") return (super.connect as (...a: unknown[]) => unknown).apply(this, args);
    if (!this.usable()) return this.primary.connect();
    return super.connect().catch((e: unknown) => {
      if (this.stopped || !isReplicaFailure(e)) throw e;
      this.record({ at: Date.now(), lagMs: null, why: `connect failed: ${(e as Error).message}` });
      return this.primary.connect();
    });
  }

  /** Measures now (tests; the timer calls it every probeEveryMs). */
  probe(): Promise<void> {
    return (this.probing ??= this.measure().finally(() => (this.probing = null)));
  }

  override async end(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const c = this.prober;
    this.prober = null;
    await c?.end().catch(() => {});
    return super.end();
  }

  private startProbing() {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.probe(), this.limits.probeEveryMs);
    this.timer.unref?.();
    void this.probe();
  }

  private async measure(): Promise<void> {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = (async () => {
        let c = this.prober;
        if (!c) {
          c = new pg.Client({ ...this.options, connectionTimeoutMillis: this.limits.probeTimeoutMs });
          c.on("error", () => {}); // a cut connection surfaces as the next probe's failure
          await c.connect();
          // The probe's own socket must not keep a finished script alive.
          (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
          // Connected after this probe gave up, or after end(): not kept.
          if (this.prober || this.stopped) {
            void c.end().catch(() => {});
            c = this.prober;
            if (!c) throw new Error("closed");
          } else this.prober = c;
        }
        return (await c.query<LagRow>(LAG_SQL)).rows[0]!;
      })();
      // If the timeout below wins the race, a later failure of `answer` is expected, not unhandled.
      answer.catch(() => {});
      const late = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error(`no answer within ${this.limits.probeTimeoutMs} ms`)), this.limits.probeTimeoutMs);
      });
      const row = await Promise.race([answer, late]);
      this.record({ at: Date.now(), ...lagFrom(row) });
    } catch (e) {
      const c = this.prober;
      this.prober = null;
      void c?.end().catch(() => {});
      this.record({ at: Date.now(), lagMs: null, why: `probe failed: ${(e as Error).message}` });
    } finally {
      clearTimeout(timeout);
    }
  }

  private record(h: ReplicaHealth) {
    this.health = h;
    const now = replicaUsable(h, h.at, this.limits);
    if (now !== this.wasUsable) this.onChange?.(now, h);
    this.wasUsable = now;
  }
}

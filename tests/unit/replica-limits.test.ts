import { describe, expect, it } from "vitest";
import { isReplicaFailure, lagFrom, REPLICA_LIMITS, replicaLimitsFromEnv, replicaUsable } from "../../db/pg/replica";
import { PIN_MARGIN_S, pinSeconds } from "../../app/services/read-routing.server";

// The decisions behind read routing (db/pg/replica.ts, read-routing.server.ts); the routing itself
// runs against a real streaming replica in tests/pg/replica.test.ts.
describe("when the replica may answer", () => {
  const limits = REPLICA_LIMITS;
  const now = 1_000_000;

  it("only after a recent measurement under the lag limit", () => {
    expect(replicaUsable(null, now, limits)).toBe(false); // not measured yet: the primary
    expect(replicaUsable({ at: now, lagMs: 0 }, now, limits)).toBe(true);
    expect(replicaUsable({ at: now, lagMs: limits.maxLagMs }, now, limits)).toBe(true);
    expect(replicaUsable({ at: now, lagMs: limits.maxLagMs + 1 }, now, limits)).toBe(false);
    expect(replicaUsable({ at: now, lagMs: null, why: "probe failed" }, now, limits)).toBe(false);
    expect(replicaUsable({ at: now - limits.staleAfterMs, lagMs: 0 }, now, limits)).toBe(true);
    expect(replicaUsable({ at: now - limits.staleAfterMs - 1, lagMs: 0 }, now, limits)).toBe(false);
  });

  it("measures the lag as zero only while streaming with everything received replayed", () => {
    expect(lagFrom({ standby: true, receiving: true, replayed: true, age_ms: 60_000 })).toEqual({ lagMs: 0 });
    // Replaying behind what it received, or cut off from the primary: the age of the last replayed commit.
    expect(lagFrom({ standby: true, receiving: true, replayed: false, age_ms: 1500 }).lagMs).toBe(1500);
    expect(lagFrom({ standby: true, receiving: false, replayed: true, age_ms: 2500 }).lagMs).toBe(2500);
    expect(lagFrom({ standby: true, receiving: false, replayed: true, age_ms: null }).lagMs).toBeNull();
    expect(lagFrom({ standby: false, receiving: false, replayed: null, age_ms: null })).toMatchObject({
      lagMs: null,
      why: /not a standby/,
    });
  });

  it("sends a read again to the primary only for failures the replica caused", () => {
    const server = (code: string) => Object.assign(new Error(code), { code, severity: "ERROR" });
    expect(isReplicaFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isReplicaFailure(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isReplicaFailure(server("57P01"))).toBe(true); // terminating connection: administrator command
    expect(isReplicaFailure(server("40001"))).toBe(true); // cancelled: conflict with recovery
    expect(isReplicaFailure(server("08006"))).toBe(true);
    // The query's own fault is the query's: a write sent to the replica must fail loudly (GET never writes).
    expect(isReplicaFailure(server("25006"))).toBe(false); // read-only transaction
    expect(isReplicaFailure(server("42P01"))).toBe(false);
  });

  it("reads the limits from the environment, keeping the defaults for anything unusable", () => {
    expect(replicaLimitsFromEnv({})).toEqual(REPLICA_LIMITS);
    const l = replicaLimitsFromEnv({ TABLERO_REPLICA_MAX_LAG_MS: "250", TABLERO_REPLICA_PROBE_MS: "100" });
    expect(l).toEqual({ maxLagMs: 250, probeEveryMs: 100, probeTimeoutMs: 100, staleAfterMs: 300, connectTimeoutMs: 5000 });
    expect(replicaLimitsFromEnv({ TABLERO_REPLICA_MAX_LAG_MS: "soon" }).maxLagMs).toBe(REPLICA_LIMITS.maxLagMs);
  });

  it("pins a visitor who sent a form for longer than a replica read can be stale", () => {
    for (const l of [REPLICA_LIMITS, replicaLimitsFromEnv({ TABLERO_REPLICA_MAX_LAG_MS: "30000" })]) {
      expect(pinSeconds(l) * 1000).toBeGreaterThan(l.maxLagMs + l.staleAfterMs);
      expect(pinSeconds(l) * 1000).toBeGreaterThanOrEqual(l.maxLagMs + l.staleAfterMs + PIN_MARGIN_S * 1000);
    }
    expect(pinSeconds(REPLICA_LIMITS)).toBe(9);
  });
});

// Reference recommenders for the leave-last-out evaluation: popularity, item-kNN, a plain random walk
// with restart on the user–item graph, and EASE. All work on the binary user–item matrix of the
// training rows (the rating value is ignored here, as in the published baselines).
import {
  itemPopularity,
  itemUsers,
  userHistories,
  userItems,
  type ItemUsersCsr,
  type RecData,
  type Recommender,
  type UserItemsCsr,
} from "./recs";

/** Most-interacted items first (distinct training users per item). */
export class Popularity implements Recommender {
  readonly name = "popularity";
  private pop: Float64Array = new Float64Array(0);
  fit(data: RecData): void {
    this.pop = itemPopularity(data);
  }
  score(_user: number, items: Uint32Array): Float64Array {
    return Float64Array.from(items, (i) => this.pop[i] ?? 0);
  }
}

/**
 * Item-kNN: score(u, i) = Σ_{j ∈ items(u)} cos(i, j), cosine on the binary user–item matrix
 * (co-occurrence / √(n_i·n_j)), every co-occurring item counted (no neighbourhood cut-off).
 * Computed per user through the users who share an item: a_v = Σ_{j∈u, v∈U(j)} 1/√n_j, then
 * score(i) = Σ_{v∈U(i)} a_v / √n_i — no item–item matrix is ever built.
 */
export class ItemKnn implements Recommender {
  readonly name = "item-knn";
  private iu: ItemUsersCsr = { offsets: new Uint32Array(0), users: new Uint32Array(0) };
  private ui: UserItemsCsr = { offsets: new Uint32Array(0), items: new Uint32Array(0) };
  private a: Float64Array = new Float64Array(0);
  private cachedUser = -1;
  fit(data: RecData): void {
    this.iu = itemUsers(data);
    this.ui = userItems(data);
    this.a = new Float64Array(data.users);
    this.cachedUser = -1;
  }
  private userVector(u: number): Float64Array {
    if (this.cachedUser === u) return this.a;
    const { offsets, users } = this.iu;
    this.a.fill(0);
    for (let k = this.ui.offsets[u]!; k < this.ui.offsets[u + 1]!; k++) {
      const j = this.ui.items[k]!;
      const n = offsets[j + 1]! - offsets[j]!;
      const w = 1 / Math.sqrt(n);
      for (let p = offsets[j]!; p < offsets[j + 1]!; p++) this.a[users[p]!]! += w;
    }
    this.cachedUser = u;
    return this.a;
  }
  score(user: number, items: Uint32Array): Float64Array {
    const a = this.userVector(user);
    const { offsets, users } = this.iu;
    return Float64Array.from(items, (i) => {
      const n = offsets[i + 1]! - offsets[i]!;
      if (n === 0) return 0;
      let s = 0;
      for (let p = offsets[i]!; p < offsets[i + 1]!; p++) s += a[users[p]!]!;
      return s / Math.sqrt(n);
    });
  }
}

/**
 * Plain random walk with restart on the bipartite user–item graph (binary, uniform transitions):
 * π = α·e_u + (1 − α)·Pᵀπ, solved by power iteration; an item's score is its stationary probability.
 * The reference for Pixie (which adds boards, biases, step budgets and the multi-hit booster).
 */
export class RandomWalkRestart implements Recommender {
  readonly name: string;
  private iu: ItemUsersCsr = { offsets: new Uint32Array(0), users: new Uint32Array(0) };
  private ui: UserItemsCsr = { offsets: new Uint32Array(0), items: new Uint32Array(0) };
  private itemScores: Float64Array = new Float64Array(0);
  private cachedUser = -1;
  constructor(
    private readonly restart = 0.3,
    private readonly iterations = 40,
    name = "rwr",
  ) {
    this.name = name;
  }
  fit(data: RecData): void {
    this.iu = itemUsers(data);
    this.ui = userItems(data);
    this.itemScores = new Float64Array(data.items);
    this.cachedUser = -1;
  }
  /** Stationary visit probabilities of every item for walks restarting at `u`. */
  walk(u: number): Float64Array {
    if (this.cachedUser === u) return this.itemScores;
    const { offsets: io, users: iusers } = this.iu;
    const { offsets: uo, items: uitems } = this.ui;
    const nu = uo.length - 1;
    const ni = io.length - 1;
    const a = this.restart;
    let xu = new Float64Array(nu);
    let xi = new Float64Array(ni);
    let nu2 = new Float64Array(nu);
    let ni2 = new Float64Array(ni);
    xu[u] = 1;
    for (let it = 0; it < this.iterations; it++) {
      nu2.fill(0);
      ni2.fill(0);
      let moved = 0;
      for (let v = 0; v < nu; v++) {
        const mass = xu[v]!;
        const deg = uo[v + 1]! - uo[v]!;
        if (mass === 0 || deg === 0) continue;
        const w = ((1 - a) * mass) / deg;
        for (let p = uo[v]!; p < uo[v + 1]!; p++) ni2[uitems[p]!]! += w;
        moved += (1 - a) * mass;
      }
      for (let i = 0; i < ni; i++) {
        const mass = xi[i]!;
        const deg = io[i + 1]! - io[i]!;
        if (mass === 0 || deg === 0) continue;
        const w = ((1 - a) * mass) / deg;
        for (let p = io[i]!; p < io[i + 1]!; p++) nu2[iusers[p]!]! += w;
        moved += (1 - a) * mass;
      }
      // Everything that did not move on (the restart share, dead ends) restarts at u; total stays 1.
      nu2[u]! += 1 - moved;
      [xu, nu2] = [nu2, xu];
      [xi, ni2] = [ni2, xi];
    }
    this.itemScores = xi;
    this.cachedUser = u;
    return xi;
  }
  score(user: number, items: Uint32Array): Float64Array {
    const pi = this.walk(user);
    return Float64Array.from(items, (i) => pi[i] ?? 0);
  }
}

/**
 * In-place inverse of a symmetric positive-definite n×n matrix (row-major Float64Array) by
 * Gauss–Jordan elimination without pivoting (safe for SPD matrices: every pivot stays positive).
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError("matrix size does not match n");
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const p = a[rk + k]!;
    if (!(p > 0)) throw new Error(`matrix is not positive definite (pivot ${k} = ${p})`);
    a[rk + k] = 1;
    const inv = 1 / p;
    for (let j = 0; j < n; j++) a[rk + j]! *= inv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const ri = i * n;
      const f = a[ri + k]!;
      if (f === 0) continue;
      a[ri + k] = 0;
      for (let j = 0; j < n; j++) a[ri + j]! -= f * a[rk + j]!;
    }
  }
  return a;
}

/**
 * EASE (Steck 2019): B = I − P·diagMat(1/diag(P)), P = (XᵀX + λI)⁻¹ on the binary user–item matrix X,
 * score(u, i) = (x_u B)_i. The item–item inverse is never formed when there are fewer users than
 * items: by the Woodbury identity P = (I − Xᵀ K X)/λ with K = (XXᵀ + λI)⁻¹ (users × users), so
 *   diag(P)_i = (1 − Σ_{v,w ∈ U(i)} K_vw)/λ   and   (P x_u)_i = Σ_{v ∈ U(i)} K_vu,
 *   score(u, i) = x_ui − Σ_{v∈U(i)} K_vu / P_ii
 * — exact EASE over every item, at the cost of one users × users inversion (610² for MovieLens small).
 * With more users than items the item–item inverse is computed directly (up to `maxDim` items; beyond
 * that only the `maxDim` most popular items get EASE scores, the rest score below them by popularity).
 *
 * With `recency`, the user's row x_u is not binary: the k-th latest training item weighs
 * 1 + boost·½^(k/halfLife), so the same item–item weights B are read from the person's latest items
 * first ("ease-recent"). Then (P x)_i = (x_i − Σ_{v∈U(i)} a_v)/λ with a = K X x, one users-sized
 * product per person.
 */
export class Ease implements Recommender {
  readonly name: string;
  private mode: "users" | "items" = "users";
  private iu: ItemUsersCsr = { offsets: new Uint32Array(0), users: new Uint32Array(0) };
  private ui: UserItemsCsr = { offsets: new Uint32Array(0), items: new Uint32Array(0) };
  private k: Float64Array = new Float64Array(0); // users × users (mode "users") or kept items² (mode "items")
  private diagP: Float64Array = new Float64Array(0);
  private m = 0;
  // mode "items": dense position of each kept item, or -1
  private pos = new Int32Array(0);
  private kept = 0;
  private pop: Float64Array = new Float64Array(0);
  private rowCache: Float64Array = new Float64Array(0);
  private cachedUser = -1;
  private userWeights: Map<number, number>[] = [];
  private a: Float64Array = new Float64Array(0);
  constructor(
    readonly lambda = 500,
    private readonly maxDim = 6000,
    private readonly recency?: { halfLife: number; boost: number },
    name?: string,
  ) {
    this.name = name ?? (recency ? "ease-recent" : "ease");
  }

  /** x_u as item → weight (1 for every item without `recency`). */
  private weightsOf(user: number): Map<number, number> {
    return this.userWeights[user] ?? new Map();
  }

  fit(data: RecData): void {
    this.userWeights = userHistories(data).map((h) => {
      const w = new Map<number, number>();
      const n = h.items.length;
      for (let k = n - 1; k >= 0; k--) {
        const item = h.items[k]!;
        if (w.has(item)) continue;
        const age = w.size; // 0 = latest distinct item
        w.set(item, this.recency ? 1 + this.recency.boost * Math.pow(0.5, age / this.recency.halfLife) : 1);
      }
      return w;
    });
    this.iu = itemUsers(data);
    this.ui = userItems(data);
    this.m = data.users;
    this.cachedUser = -1;
    const lam = this.lambda;
    const { offsets: io, users: iusers } = this.iu;
    this.pop = Float64Array.from({ length: data.items }, (_, i) => io[i + 1]! - io[i]!);
    if (data.users <= data.items && data.users <= this.maxDim) {
      this.mode = "users";
      const m = data.users;
      const g = new Float64Array(m * m);
      for (let i = 0; i < data.items; i++) {
        for (let p = io[i]!; p < io[i + 1]!; p++) {
          const rv = iusers[p]! * m;
          for (let q = io[i]!; q < io[i + 1]!; q++) g[rv + iusers[q]!]! += 1;
        }
      }
      for (let v = 0; v < m; v++) g[v * m + v]! += lam;
      this.k = spdInverse(g, m);
      this.a = new Float64Array(m);
      this.diagP = new Float64Array(data.items);
      for (let i = 0; i < data.items; i++) {
        let s = 0;
        for (let p = io[i]!; p < io[i + 1]!; p++) {
          const rv = iusers[p]! * m;
          for (let q = io[i]!; q < io[i + 1]!; q++) s += this.k[rv + iusers[q]!]!;
        }
        this.diagP[i] = (1 - s) / lam;
      }
      return;
    }
    // Item space: keep the maxDim most popular items.
    this.mode = "items";
    const order = Array.from({ length: data.items }, (_, i) => i).sort((a, b) => this.pop[b]! - this.pop[a]! || a - b);
    const keptItems = order.slice(0, Math.min(this.maxDim, data.items));
    this.pos = new Int32Array(data.items).fill(-1);
    keptItems.forEach((i, d) => (this.pos[i] = d));
    const n = keptItems.length;
    this.kept = n;
    const g = new Float64Array(n * n);
    const { offsets: uo, items: uitems } = this.ui;
    for (let u = 0; u < data.users; u++) {
      const mine: number[] = [];
      for (let p = uo[u]!; p < uo[u + 1]!; p++) {
        const d = this.pos[uitems[p]!]!;
        if (d >= 0) mine.push(d);
      }
      for (const a of mine) for (const b of mine) g[a * n + b]! += 1;
    }
    for (let d = 0; d < n; d++) g[d * n + d]! += lam;
    this.k = spdInverse(g, n);
    this.diagP = Float64Array.from({ length: n }, (_, d) => this.k[d * n + d]!);
    this.rowCache = new Float64Array(n);
  }

  score(user: number, items: Uint32Array): Float64Array {
    if (this.mode === "users" && this.recency) {
      const m = this.m;
      const { offsets: io, users: iusers } = this.iu;
      const x = this.weightsOf(user);
      if (this.cachedUser !== user) {
        // g = X x (users-sized), a = K g
        const g = new Float64Array(m);
        for (const [j, w] of x) for (let p = io[j]!; p < io[j + 1]!; p++) g[iusers[p]!]! += w;
        this.a.fill(0);
        for (let v = 0; v < m; v++) {
          const gv = g[v]!;
          if (gv === 0) continue;
          const row = v * m;
          for (let t = 0; t < m; t++) this.a[t]! += gv * this.k[row + t]!;
        }
        this.cachedUser = user;
      }
      return Float64Array.from(items, (i) => {
        let s = 0;
        for (let p = io[i]!; p < io[i + 1]!; p++) s += this.a[iusers[p]!]!;
        const xi = x.get(i) ?? 0;
        return xi - (xi - s) / (this.lambda * this.diagP[i]!);
      });
    }
    if (this.mode === "users") {
      const m = this.m;
      const { offsets: io, users: iusers } = this.iu;
      const K = this.k;
      return Float64Array.from(items, (i) => {
        let s = 0;
        let mine = 0;
        for (let p = io[i]!; p < io[i + 1]!; p++) {
          const v = iusers[p]!;
          s += K[v * m + user]!;
          if (v === user) mine = 1;
        }
        return mine - s / this.diagP[i]!;
      });
    }
    // Item space: (P x_u) over kept items, cached per user.
    const n = this.kept;
    if (this.cachedUser !== user) {
      this.rowCache.fill(0);
      for (const [j, w] of this.weightsOf(user)) {
        const d = this.pos[j]!;
        if (d < 0) continue;
        const row = d * n;
        for (let e = 0; e < n; e++) this.rowCache[e]! += w * this.k[row + e]!;
      }
      this.cachedUser = user;
    }
    const x = this.weightsOf(user);
    const floor = -1e9;
    return Float64Array.from(items, (i) => {
      const d = this.pos[i]!;
      if (d < 0) return floor + this.pop[i]!; // below every kept item, popular first
      return (x.get(i) ?? 0) - this.rowCache[d]! / this.diagP[d]!;
    });
  }
}

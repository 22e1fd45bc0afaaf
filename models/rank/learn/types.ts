/** One request's candidates (a query's results, a person's candidate list): rows of features and labels. */
export interface TrainingList {
  /** One row per candidate, one column per feature (same order as `featureNames`). NaN = missing. */
  x: number[][];
  /** Graded relevance ≥ 0 for lambdarank, 0/1 for logistic (the pointwise objectives). */
  y: number[];
  /** Weight of the whole list (default 1): multiplies its gradients and its rows' losses. */
  weight?: number;
}

export type GbdtParams = {
  objective: "lambdarank" | "logistic";
  trees: number;
  /** Depth of every tree (depth-wise growth): at most 2^depth leaves. */
  depth: number;
  learningRate: number;
  /** Fewest training rows (of the tree's row sample) in a leaf. */
  minLeaf: number;
  /** Quantile bins per feature, 2..255; default 64. Missing values get one more bin of their own. */
  bins?: number;
  /** L2 penalty on leaf values (Newton step −G/(H+l2)); default 1. */
  l2?: number;
  /** Share of features each tree may split on (sampled per tree); default 1. */
  featureFraction?: number;
  /** Share of rows each tree is grown on (sampled per tree, without replacement); default 1. */
  rowFraction?: number;
  seed?: number;
  /** Lambdarank truncation: the k of NDCG@k the swaps are weighed by, and of early stopping; default 10. */
  ndcgAt?: number;
  /** A split must gain more than this (in the objective's second-order approximation); default 0. */
  minGain?: number;
  valid?: TrainingList[];
  /** Stop when validation NDCG@ndcgAt (lambdarank) or logloss (logistic) has not improved for this many trees; the model keeps the best prefix. */
  earlyStoppingRounds?: number;
  /** Called after every tree with the training/validation figures (for progress output). */
  onTree?: (info: { tree: number; valid?: number }) => void;
};

export type LinearParams = {
  objective: "logistic" | "pairwise";
  l2: number;
  /** Passes over the data (full batch: one Adam step per epoch). */
  epochs: number;
  learningRate: number;
  seed?: number;
  /** Standardise features to mean 0, sd 1 (stored in the model); default true. NaN becomes 0 (the mean) either way. */
  standardize?: boolean;
  /** Rows (logistic) or pairs (pairwise) per Adam step; default all (full batch). */
  batchSize?: number;
  /** Pairwise: most (higher, lower) pairs kept per list, sampled with the seed; default 2,000. */
  maxPairsPerList?: number;
};

/**
 * One regression tree as flat arrays (plain JSON). Node 0 is the root. A leaf has feature −1 and
 * left = right = −1. An inner node sends x to `left` when x[feature] <= threshold, to `right` when
 * greater, and a missing value (NaN) to `left` if missingLeft else `right`. `value` holds the
 * (shrunk) output for leaves; inner nodes keep the value they would have had as leaves.
 */
export type Tree = {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  missingLeft: boolean[];
  /** Split gain of inner nodes (0 at leaves); feeds featureImportance. */
  gain?: number[];
  /** Training rows (of the tree's sample) that reached each node. */
  count?: number[];
};

export type GbdtModel = {
  kind: "gbdt";
  objective: "lambdarank" | "logistic";
  featureNames: string[];
  /** Added to the trees' sum: the prior log-odds for logistic, 0 for lambdarank. */
  base: number;
  trees: Tree[];
};

export type LinearModel = {
  kind: "linear";
  objective: "logistic" | "pairwise";
  featureNames: string[];
  /** Weights on standardised features: margin = bias + Σ w_j · (x_j − mean_j) / scale_j, NaN terms 0. */
  weights: number[];
  bias: number;
  mean: number[];
  scale: number[];
};

/** Plain JSON-serialisable objects. */
export type RankingModel = GbdtModel | LinearModel;

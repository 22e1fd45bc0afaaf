// Learning to rank: histogram GBDT (LambdaMART, logistic), linear models (logistic, RankNet pairwise),
// scoring, calibration and metrics. Pure TypeScript, no dependencies; see README.md.

export type { TrainingList, GbdtParams, LinearParams, Tree, GbdtModel, LinearModel, RankingModel } from "./types";
export { trainGbdt, growTree } from "./gbdt";
export { trainLinear, linearLossGrad, linearProblem, standardization } from "./linear";
export { predict, predictMany, predictTree, compileModel, compileBatch, featureImportance } from "./predict";
export { sigmoid, softplus, fitPlatt, expectedCalibrationError, ndcgAt, meanNdcg, idealDcg, auc, logLoss, mulberry32 } from "./metrics";
export { lambdaGradients, lambdaScratch, logisticGradients, type LambdaScratch } from "./objectives";
export {
  binRows,
  binOf,
  quantileEdges,
  buildHistogram,
  newHist,
  subtractHist,
  findBestSplit,
  nodeScore,
  thresholdOf,
  type Binned,
  type Hist,
  type Split,
} from "./hist";

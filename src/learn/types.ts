/** Public types of learning ([C1]). Plain data only: everything here can cross a worker boundary. */
import type { HeadFile, ProblemType } from '../types.js';
import type { EvalReport } from './metrics.js';

/**
 * Labelled vectors to train on. Shaped like `EmbedResult`, so `{ ...(await clf.embed(texts)), labels }` fits.
 */
export interface TrainingSet {
  /** Row-major [labels.length × dim] pooled vectors. */
  data: Float32Array;
  dim: number;
  /** Each row's concepts: exactly one for multi-class, any number (zero included) for multi-label. */
  labels: string[][];
  /** Example ids, reported with validation errors; default: the row index. */
  ids?: string[];
}

/** One epoch's figures, reported through `onProgress` and kept in `TrainResult.history`. */
export interface TrainProgress {
  epoch: number;
  /** The most epochs this run may take (early stopping may end it sooner). */
  epochs: number;
  /** Mean weighted training loss of the epoch. */
  loss: number;
  /** Weighted validation loss (drives early stopping); null without a validation split. */
  valLoss: number | null;
  /** Validation macro-F1; null without a validation split. */
  valMetric: number | null;
}

export interface TrainOptions {
  /** The encoder the vectors came from (`clf.info.modelId`); the head is refused by any other. */
  modelId: string;
  modelRevision?: string;
  /** Where the encoder lives (path relative to the package, URL or absolute path), saved in the head file. */
  model?: string;
  /** Checked against `set.dim` when given. */
  dims?: number;
  /** Default `'linear'`. */
  type?: 'linear' | 'mlp';
  /** Default: multi-label when any row has other than exactly one label, else multi-class. */
  problemType?: ProblemType;
  /** Concept order of the head; default: the labels, sorted. */
  concepts?: string[];
  /** Default 0: the same seed and data give the same head. */
  seed?: number;
  /** Fraction held out (stratified) for early stopping and calibration; default 0.15; 0 trains on all rows. */
  validationSplit?: number;
  /** Most epochs; default 100. */
  epochs?: number;
  /** Epochs without a better validation loss before stopping; default 10. */
  patience?: number;
  /** Adam step size (inputs are standardised); default 0.01. */
  learningRate?: number;
  /** Mini-batch rows; default: about a sixteenth of the training rows, from 8 to 64. */
  batchSize?: number;
  /** L2 penalty on weights (not biases); default 1e-3. */
  l2?: number;
  /** Hidden units of an `mlp` head; default 32. */
  hidden?: number;
  /** `'balanced'` (default) weighs rare concepts up so each counts as much in total; `'none'` weighs rows equally. */
  classWeights?: 'balanced' | 'none';
  /** Whether the head L2-normalises its input (as `embed` output already is); default true. */
  normalize?: boolean;
  /** Called after every epoch. */
  onProgress?: (p: TrainProgress) => void;
  /** Extra facts about the data (source file, sampling), saved in the head's `trainingData`. */
  dataSummary?: Record<string, unknown>;
}

export interface TrainResult {
  /** The trained head: apply it with `createClassifier({ model, head })` or save it as JSON. */
  head: HeadFile;
  history: TrainProgress[];
  /** The epoch whose weights were kept. */
  bestEpoch: number;
  /** Metrics of the calibrated head on the validation rows; null without a validation split. */
  validation: EvalReport | null;
  /** Wall-clock training time in milliseconds. */
  ms: number;
}

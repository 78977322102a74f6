/** Building the head-file record that training saves and `createClassifier({ head })` loads. */
import type { HeadFile, ProblemType } from '../types.js';
import type { HeadWeights } from './net.js';

export interface HeadFileParts extends HeadWeights {
  type: 'linear' | 'mlp';
  problemType: ProblemType;
  modelId: string;
  modelRevision?: string;
  model?: string;
  dims: number;
  normalize: boolean;
  concepts: string[];
  temperature: number;
  /** Per concept, in `concepts` order. */
  thresholds: number[] | null;
  metrics?: Record<string, unknown>;
  trainingData?: Record<string, unknown>;
  createdAt?: Date;
}

const round = (x: number) => Math.fround(x);

/**
 * A complete `inpage-classifier/head@1` record (numbers rounded to float32, as the engine applies them).
 * @example const head = buildHeadFile({ type: 'linear', concepts, weights, bias, … });
 */
export function buildHeadFile(p: HeadFileParts): HeadFile {
  const head: HeadFile = {
    format: 'inpage-classifier/head@1',
    type: p.type,
    problemType: p.problemType,
    modelId: p.modelId,
    dims: p.dims,
    pooling: 'mean',
    normalize: p.normalize,
    concepts: [...p.concepts],
    weights: p.weights.map((r) => r.map(round)),
    bias: p.bias.map(round),
    calibration: { temperature: p.temperature },
    thresholds: p.thresholds ? Object.fromEntries(p.concepts.map((c, k) => [c, p.thresholds![k]])) : null,
    createdAt: (p.createdAt ?? new Date()).toISOString(),
  };
  if (p.modelRevision) head.modelRevision = p.modelRevision;
  if (p.model) head.model = p.model;
  if (p.hidden) head.hidden = { weights: p.hidden.weights.map((r) => r.map(round)), bias: p.hidden.bias.map(round) };
  if (p.metrics) head.metrics = p.metrics;
  if (p.trainingData) head.trainingData = p.trainingData;
  return head;
}

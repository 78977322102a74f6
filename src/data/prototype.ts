/**
 * Zero-shot start: before any label, each concept's "name: description" embedding is its prototype, and a text's
 * scores are a softmax of its cosines to the prototypes at a low temperature. Built as an ordinary linear HeadFile,
 * so it classifies through the usual head path and feeds `suggestNext`. Pure.
 */
import type { HeadFile } from '../types.js';
import type { Concept } from './types.js';

/** Cosines sit in a narrow band; dividing by 0.05 spreads them into usable probabilities. */
export const PROTOTYPE_TEMPERATURE = 0.05;

/**
 * The text embedded for a concept.
 * @example conceptPrompt({ name: 'negative', description: 'the customer is unhappy' }) // 'negative: the customer is unhappy'
 */
export function conceptPrompt(c: Pick<Concept, 'name' | 'description'>): string {
  return c.description?.trim() ? `${c.name}: ${c.description.trim()}` : c.name;
}

export interface PrototypeOptions {
  modelId: string;
  modelRevision?: string;
  temperature?: number;
}

/**
 * A linear head whose weights are the L2-normalised prototype vectors (row k = concept k), bias 0.
 * @example const head = prototypeHead(['neg', 'pos'], (await clf.embed(prompts)).data, clf.info.dim, { modelId });
 */
export function prototypeHead(concepts: string[], vectors: Float32Array, dim: number, options: PrototypeOptions): HeadFile {
  const weights = concepts.map((_, k) => {
    const row = Array.from(vectors.subarray(k * dim, (k + 1) * dim));
    const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0)) || 1;
    return row.map((x) => Math.fround(x / norm));
  });
  const head: HeadFile = {
    format: 'inpage-classifier/head@1',
    type: 'linear',
    problemType: 'single_label_classification',
    modelId: options.modelId,
    dims: dim,
    pooling: 'mean',
    normalize: true,
    concepts: [...concepts],
    weights,
    bias: concepts.map(() => 0),
    calibration: { temperature: options.temperature ?? PROTOTYPE_TEMPERATURE },
    createdAt: new Date().toISOString(),
    trainingData: { kind: 'zero-shot prototypes', labelled: 0 },
  };
  if (options.modelRevision) head.modelRevision = options.modelRevision;
  return head;
}

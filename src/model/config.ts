/**
 * Reading a model's `config.json` and pooling config into what inference needs.
 */
import { ModelLoadError } from '../errors.js';
import type { ProblemType } from '../types.js';

export interface ModelConfig {
  modelId: string;
  /** Hidden size of the encoder's output vectors. */
  dim: number;
  /** Maximum tokens per sequence, special tokens included. */
  maxLength: number;
  problemType: ProblemType;
  /** Labels of a graph with a `logits` output, in id order; empty when the model has none. */
  labels: string[];
}

type Json = Record<string, unknown>;

/**
 * @param config parsed config.json
 * @param tokenizerConfig parsed tokenizer_config.json (its `model_max_length` may be tighter than the positions)
 * @param fallbackId used when config.json names no model (`_name_or_path`)
 */
export function parseModelConfig(config: Json, tokenizerConfig: Json, fallbackId: string): ModelConfig {
  const dim = Number(config.hidden_size ?? config.dim ?? config.d_model);
  if (!Number.isInteger(dim) || dim < 1) {
    throw new ModelLoadError('has no hidden_size: not an encoder config', 'config.json');
  }
  const positions = Number(config.max_position_embeddings ?? 512);
  const tokLimit = Number(tokenizerConfig.model_max_length);
  // model_max_length is often a huge sentinel (1e30) when unset; the position table is the hard limit.
  const maxLength = Number.isFinite(tokLimit) && tokLimit > 0 ? Math.min(tokLimit, positions) : positions;
  const id2label = (config.id2label ?? {}) as Record<string, string>;
  const labels = Object.keys(id2label)
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => String(id2label[k]));
  const problemType: ProblemType =
    config.problem_type === 'multi_label_classification' ? 'multi_label_classification' : 'single_label_classification';
  const modelId = typeof config._name_or_path === 'string' && config._name_or_path ? config._name_or_path : fallbackId;
  return { modelId, dim, maxLength, problemType, labels };
}

/** Pooling from sentence-transformers' `1_Pooling/config.json`; mean when absent. */
export function parsePooling(poolingConfig: Json | null): 'mean' | 'cls' {
  if (poolingConfig?.pooling_mode_cls_token === true && poolingConfig.pooling_mode_mean_tokens !== true) return 'cls';
  return 'mean';
}

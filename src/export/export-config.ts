/**
 * The exported model's `config.json`: the encoder's config turned into a sequence classifier the way transformers.js
 * and Hugging Face tools read one (`architectures`, `id2label`, `label2id`, `problem_type`). Pure.
 */
import type { HeadFile } from '../types.js';

type Json = Record<string, unknown>;

/**
 * `BertModel` → `BertForSequenceClassification` (likewise for other encoders); BERT when the config names none.
 * transformers.js picks the model class from `model_type`; `architectures` is for the Python tools.
 */
function classifierArchitecture(config: Json): string {
  const base = Array.isArray(config.architectures) ? config.architectures.find((a) => typeof a === 'string') : undefined;
  const stem = typeof base === 'string' ? base.replace(/(Model|ForMaskedLM|ForSequenceClassification)$/, '') : '';
  return `${stem || 'Bert'}ForSequenceClassification`;
}

/** The encoder's revision as a local folder records it (`inpage.revision`, else `_commit_hash`). */
export function configRevision(config: Json): string | undefined {
  const inpage = config.inpage as { revision?: unknown } | undefined;
  const rev = inpage?.revision ?? config._commit_hash;
  return typeof rev === 'string' && rev ? rev : undefined;
}

/**
 * @param encoder the encoder's parsed `config.json`
 * @param head a validated head for that encoder
 * @param modelId the new model's `_name_or_path`
 * @example exportedConfig(config, head, 'my-sentiment').id2label // { '0': 'negative', '1': 'positive' }
 */
export function exportedConfig(encoder: Json, head: HeadFile, modelId: string): Json {
  // Labels and revision describe the encoder alone, so they are not carried over.
  const { id2label: _i, label2id: _l, num_labels: _n, problem_type: _p, _commit_hash: _c, inpage, ...rest } = encoder;
  return {
    ...rest,
    _name_or_path: modelId,
    architectures: [classifierArchitecture(encoder)],
    id2label: Object.fromEntries(head.concepts.map((c, k) => [String(k), c])),
    label2id: Object.fromEntries(head.concepts.map((c, k) => [c, k])),
    problem_type: head.problemType,
    inpage: {
      format: 'inpage-classifier/exported-head@1',
      encoder: {
        modelId: typeof encoder._name_or_path === 'string' ? encoder._name_or_path : head.modelId,
        revision: configRevision(encoder) ?? head.modelRevision ?? null,
        ...(inpage && typeof inpage === 'object' ? { inpage } : {}),
      },
      head: {
        type: head.type,
        pooling: head.pooling ?? 'mean',
        normalize: head.normalize ?? true,
        // Already divided out in the graph: `logits` are calibrated.
        temperature: head.calibration?.temperature ?? 1,
        thresholds: head.thresholds ?? null,
        metrics: head.metrics ?? null,
        createdAt: head.createdAt ?? null,
      },
    },
  };
}

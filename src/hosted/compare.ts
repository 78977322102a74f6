/**
 * Local head vs hosted model on the same held-out split ([C1]'s `isHeldOut` by id hash, so both see the very same
 * rows), evaluated by the same `evaluate`.
 */
import type { Classifier } from '../classifier.js';
import { evaluate, type EvalReport } from '../learn/metrics.js';
import { heldOutSplit } from '../learn/split.js';
import type { ProblemType } from '../types.js';
import type { SyncExample } from './sync.js';

export interface CompareOptions {
  /** Share of examples held out (default 0.2, [C1]'s default). */
  fraction?: number;
  /** Default: the local classifier's problem type. */
  problemType?: ProblemType;
  signal?: AbortSignal;
}

export interface ComparisonReport {
  /** Ids of the held-out examples both were scored on. */
  ids: string[];
  concepts: string[];
  local: EvalReport;
  hosted: EvalReport;
}

async function scores(clf: Classifier, texts: string[], concepts: string[]): Promise<Float32Array> {
  const results = await clf.classify(texts);
  const out = new Float32Array(texts.length * concepts.length);
  results.forEach((r, i) => {
    for (const s of r.concepts) {
      const k = concepts.indexOf(s.concept);
      if (k >= 0) out[i * concepts.length + k] = s.score;
    }
  });
  return out;
}

/**
 * @example
 * const cmp = await compareOnHeldOut(examples, localClf, hostedClf);
 * console.table({ local: cmp.local.macroF1, hosted: cmp.hosted.macroF1 });
 */
export async function compareOnHeldOut(
  examples: readonly SyncExample[],
  local: Classifier,
  hosted: Classifier,
  options: CompareOptions = {},
): Promise<ComparisonReport> {
  const labelled = examples.filter((e) => e.labels.length > 0);
  const { test } = heldOutSplit(labelled.map((e) => e.id), options.fraction ?? 0.2);
  const rows = test.map((i) => labelled[i]);
  const concepts = [...new Set([...local.info.concepts, ...hosted.info.concepts])].sort();
  const texts = rows.map((r) => r.text);
  const truth = rows.map((r) => [...r.labels]);
  const ids = rows.map((r) => r.id);
  const problemType = options.problemType ?? local.info.problemType;
  const [l, h] = await Promise.all([scores(local, texts, concepts), scores(hosted, texts, concepts)]);
  return {
    ids,
    concepts,
    local: evaluate(truth, l, concepts, { problemType, ids }),
    hosted: evaluate(truth, h, concepts, { problemType, ids }),
  };
}

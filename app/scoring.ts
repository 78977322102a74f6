/**
 * Scores reviews with the active head (cached vectors + applyHead, so re-scoring after a new head costs no
 * inference) or, before any head, with the model's own concepts. Also keeps the latest prediction per example.
 */
import { applyHead, createClassifier, embedCached, type AdapterFile, type ConceptScore, type Example, type HeadFile } from '../src/index.js';
import { state } from './state.js';

/** Row-major [texts × head.concepts] scores of `head` on `texts`. */
export async function headScores(head: HeadFile, texts: string[]): Promise<Float32Array> {
  const clf = await state.classifier();
  const emb = await embedCached(clf, texts, state.cache);
  return applyHead(head, emb.data, emb.dim);
}

/** Row-major [texts × concepts] scores of a LoRA adapter version: its own classifier (adapted encoder), then disposed. */
export async function adapterScores(adapter: AdapterFile, texts: string[]): Promise<Float32Array> {
  const clf = await createClassifier({ model: (await state.classifier()).info.source, head: adapter });
  try {
    const concepts = adapter.head.concepts;
    const out = new Float32Array(texts.length * concepts.length);
    (await clf.classify(texts)).forEach((r, i) => {
      for (const { concept, score } of r.concepts) out[i * concepts.length + concepts.indexOf(concept)] = score;
    });
    return out;
  } finally {
    await clf.dispose();
  }
}

/** Each text's concepts, sorted by score: the active head's, else the model's own. */
export async function scoreTexts(texts: string[]): Promise<ConceptScore[][]> {
  if (!texts.length) return [];
  const head = state.activeHead;
  if (!head) return (await (await state.classifier()).classify(texts)).map((r) => r.concepts);
  const scores = await headScores(head, texts);
  const c = head.concepts.length;
  return texts.map((_, i) => head.concepts.map((concept, j) => ({ concept, score: scores[i * c + j] })).sort((a, b) => b.score - a.score));
}

/** The latest prediction per example id; cleared when the active head changes. */
export const predictions = new Map<string, ConceptScore[]>();
state.on('active', () => predictions.clear());

/** Scores the examples that have no prediction yet. */
export async function ensurePredictions(examples: Example[]): Promise<void> {
  const todo = examples.filter((e) => !predictions.has(e.id));
  if (!todo.length) return;
  const scored = await scoreTexts(todo.map((e) => e.text));
  todo.forEach((e, i) => predictions.set(e.id, scored[i]));
}

/**
 * What the Evaluate step scores: the held-out reviews under the active head (or, before any head, the model's own
 * concepts), as a [rows × concepts] matrix, plus a scorer for arbitrary texts (occlusion, the try-it box).
 */
import { applyHead, type Example, type ProblemType } from '../src/index.js';
import { labelledSides } from './heldout.js';
import { headScores } from './scoring.js';
import { state } from './state.js';

export interface Scored {
  rows: Example[];
  concepts: string[];
  problemType: ProblemType;
  scores: Float32Array;
  /** Where the scores came from, for the heading. */
  source: string;
  optimistic: boolean;
  /** Labelled held-out reviews skipped because a label is not one of the head's concepts. */
  skipped: number;
}

/** Scores `texts` with the active head or the model, in `concepts` order; never touches the embedding cache. */
export async function rawScores(texts: string[]): Promise<{ concepts: string[]; scores: Float32Array }> {
  const clf = await state.classifier();
  const head = state.activeHead;
  if (head) {
    const emb = await clf.embed(texts);
    return { concepts: head.concepts, scores: applyHead(head, emb.data, emb.dim) };
  }
  const concepts = clf.info.concepts;
  const results = await clf.classify(texts);
  const scores = new Float32Array(texts.length * concepts.length);
  results.forEach((r, i) => r.concepts.forEach(({ concept, score }) => (scores[i * concepts.length + concepts.indexOf(concept)] = score)));
  return { concepts, scores };
}

export async function scoreHeldOut(): Promise<Scored> {
  const clf = await state.classifier();
  const head = state.activeHead;
  const concepts = head?.concepts ?? clf.info.concepts;
  const { test, allTrain } = await labelledSides();
  const rows = test.filter((e) => e.labels.every((l) => concepts.includes(l)));
  const texts = rows.map((e) => e.text);
  const scores = head ? await headScores(head, texts) : (await rawScores(texts)).scores;
  return {
    rows,
    concepts,
    problemType: head?.problemType ?? clf.info.problemType,
    scores,
    source: head ? `head “${state.activeHeadName}”` : `the model’s own concepts (${clf.info.modelId})`,
    optimistic: allTrain,
    skipped: test.length - rows.length,
  };
}

/**
 * Why a review got its score: each word is removed in turn and the review re-scored; the drop in the concept's
 * score is that word's weight (occlusion). One batch of (words + 1) texts per review.
 */
import { rawScores } from './eval-data.js';

export interface WordImpact {
  word: string;
  /** Score with the word minus score without it: > 0 pushed towards the concept. */
  delta: number;
}

const MAX_WORDS = 80;

export async function wordImpacts(text: string, concept: string): Promise<WordImpact[]> {
  const words = text.split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  const variants = [words.join(' '), ...words.map((_, i) => words.filter((_, j) => j !== i).join(' '))];
  const { concepts, scores } = await rawScores(variants);
  const k = concepts.indexOf(concept);
  const C = concepts.length;
  const base = scores[k];
  return words.map((word, i) => ({ word, delta: base - scores[(i + 1) * C + k] }));
}

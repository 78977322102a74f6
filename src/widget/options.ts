/** Parsing the widget's attributes and choosing which concepts to show (pure). */
import type { ConceptScore, Device } from '../types.js';

/** What the widget shows of a result: the `concepts`, `threshold` and `top-k` attributes. */
export interface DisplayOptions {
  /** Only these concepts (in score order); null: all. */
  concepts: string[] | null;
  /** Hide concepts scoring below this; null: none hidden. */
  threshold: number | null;
  /** At most this many concepts; null: all. */
  topK: number | null;
}

const DEVICES: readonly Device[] = ['auto', 'wasm', 'webgpu'];

/**
 * A comma-separated list of concept names, or null when absent or empty.
 * @example parseConcepts('negative, positive') // ['negative', 'positive']
 */
export function parseConcepts(value: string | null): string[] | null {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.length ? names : null;
}

/**
 * A score threshold in [0, 1], or null when absent or not a number in range.
 * @example parseThreshold('0.2') // 0.2
 */
export function parseThreshold(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

/**
 * A positive integer (top-k, debounce milliseconds), or null when absent or invalid.
 * @example parseCount('3') // 3
 */
export function parseCount(value: string | null, min = 1): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= min ? n : null;
}

/**
 * A device name; anything else is 'auto'.
 * @example parseDevice('wasm') // 'wasm'
 */
export function parseDevice(value: string | null): Device {
  return DEVICES.includes(value as Device) ? (value as Device) : 'auto';
}

/**
 * The concepts to show, highest score first: the named ones, then those at or over the threshold, then the top k.
 * @example selectConcepts(scores, { concepts: null, threshold: 0.1, topK: 2 })
 */
export function selectConcepts(scores: readonly ConceptScore[], o: DisplayOptions): ConceptScore[] {
  let shown = [...scores].sort((a, b) => b.score - a.score);
  if (o.concepts) shown = shown.filter((c) => o.concepts!.includes(c.concept));
  if (o.threshold !== null) shown = shown.filter((c) => c.score >= o.threshold!);
  if (o.topK !== null) shown = shown.slice(0, o.topK);
  return shown;
}

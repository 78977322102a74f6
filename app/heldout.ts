/**
 * Which labelled reviews train and which evaluate. A review is held out by a hash of its id (isHeldOut, 20 %), so
 * the held-out set stays put as data grows and every head version is scored on the same rows.
 */
import { isHeldOut, listExamples, type Example } from '../src/index.js';
import { state } from './state.js';

export interface Sides {
  train: Example[];
  test: Example[];
  /** True when the held-out side was too small and every labelled row trains (evaluation is then optimistic). */
  allTrain: boolean;
}

export async function labelledSides(): Promise<Sides> {
  const rows = await listExamples({ labelled: true }, state.ds);
  const test = rows.filter((e) => isHeldOut(e.id));
  const train = rows.filter((e) => !isHeldOut(e.id));
  const concepts = (xs: Example[]) => new Set(xs.flatMap((e) => e.labels)).size;
  if (test.length < 4 || concepts(train) < 2) return { train: rows, test: rows, allTrain: true };
  return { train, test, allTrain: false };
}

/** The widget's DOM events and their `detail`. */
import type { ClassifyResult, ConceptScore, Progress } from '../types.js';

/**
 * `classified`: a text was scored, or the display attributes changed what is shown. `result.concepts` is what is
 * shown; `all` has every concept.
 */
export interface ClassifiedDetail {
  text: string;
  result: ClassifyResult;
  all: ConceptScore[];
}

/** `error`: loading or classifying failed. The widget shows the message and keeps listening. */
export interface ErrorDetail {
  error: Error;
}

/** `progress`: model download and load progress, as `createClassifier`'s `onProgress` reports it. */
export type ProgressDetail = Progress;

/** Event names to detail types, for typed listeners. */
export interface InpageClassifierEventMap {
  classified: CustomEvent<ClassifiedDetail>;
  error: CustomEvent<ErrorDetail>;
  progress: CustomEvent<ProgressDetail>;
}

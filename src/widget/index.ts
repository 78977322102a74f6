/**
 * inpage-classifier/widget: the `<inpage-classifier>` custom element for bundler users. Importing defines nothing;
 * call `defineInpageClassifier()`. The one-tag script (`inpage-classifier-widget.js`) is `auto.ts`, which does.
 */
export { InpageClassifierElement, type WidgetState, type WidgetClassifierOptions } from './element.js';
export { defineInpageClassifier } from './define.js';
export type { ClassifiedDetail, ErrorDetail, ProgressDetail, InpageClassifierEventMap } from './events.js';
export { selectConcepts, type DisplayOptions } from './options.js';

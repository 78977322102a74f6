/**
 * Entry of the one-tag bundle `inpage-classifier-widget.js`: defines `<inpage-classifier>` on load. Its worker, ORT's
 * wasm and the default model sit beside it and are found through `import.meta.url`, so any static folder serves it.
 * @example <script type="module" src="/widget/inpage-classifier-widget.js"></script>
 */
import { defineInpageClassifier } from './define.js';

export * from './index.js';
defineInpageClassifier();

/** Registers the custom element under a tag name. */
import { InpageClassifierElement } from './element.js';

/**
 * Defines `<inpage-classifier>` (or another tag name); a no-op when the name is already taken by this element.
 * @example
 * import { defineInpageClassifier } from 'inpage-classifier/widget';
 * defineInpageClassifier(); // then <inpage-classifier for="#review"></inpage-classifier>
 */
export function defineInpageClassifier(tag = 'inpage-classifier'): typeof InpageClassifierElement {
  const existing = customElements.get(tag);
  if (existing) return existing as typeof InpageClassifierElement;
  // A subclass per extra tag: one constructor cannot be registered under two names.
  const ctor = tag === 'inpage-classifier' ? InpageClassifierElement : class extends InpageClassifierElement {};
  customElements.define(tag, ctor);
  return ctor;
}

declare global {
  interface HTMLElementTagNameMap {
    'inpage-classifier': InpageClassifierElement;
  }
}

/** The element whose text is classified: a textarea, an input, or any element (its text content). */

/**
 * Whether the element has a `value` the user types into.
 * @example isField(document.querySelector('textarea')!) // true
 */
export function isField(el: Element): el is HTMLTextAreaElement | HTMLInputElement {
  return el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;
}

/**
 * The text to classify: a field's value, else the element's text content.
 * @example readText(document.querySelector('#review')!)
 */
export function readText(el: Element): string {
  return isField(el) ? el.value : (el.textContent ?? '');
}

/**
 * Finds the target: the `for` selector in the widget's own tree (document or shadow root), or, without one, the first
 * field or contenteditable element inside the widget.
 * @example findTarget(widget, '#review')
 */
export function findTarget(host: HTMLElement, selector: string | null): Element | null {
  if (!selector) return host.querySelector('textarea, input, [contenteditable]');
  const root = host.getRootNode();
  try {
    return root instanceof Document || root instanceof ShadowRoot ? root.querySelector(selector) : null;
  } catch {
    return null; // an invalid selector finds nothing
  }
}

/**
 * Calls `onChange` whenever the target's text may have changed: `input` and `change` events, and for plain elements
 * any DOM change under them. Returns the function that stops watching.
 * @example const stop = watchText(textarea, () => schedule());
 */
export function watchText(el: Element, onChange: () => void): () => void {
  el.addEventListener('input', onChange);
  el.addEventListener('change', onChange);
  const observer = isField(el) ? null : new MutationObserver(onChange);
  observer?.observe(el, { characterData: true, childList: true, subtree: true });
  return () => {
    el.removeEventListener('input', onChange);
    el.removeEventListener('change', onChange);
    observer?.disconnect();
  };
}

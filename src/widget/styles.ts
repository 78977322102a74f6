/**
 * The widget's only styles: a constructed stylesheet adopted by its shadow root. No `<style>` element and no `style`
 * attribute, so a strict `style-src 'self'` CSP needs no relaxation; page styles cannot reach in, ours cannot leak out.
 * Theme it from outside with the custom properties below or `::part(…)`.
 */
const CSS = `
:host {
  display: block;
  font: var(--inpage-font, 14px/1.4 system-ui, sans-serif);
  color: var(--inpage-color, inherit);
}
:host([hidden]) { display: none; }
ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
li { display: grid; grid-template-columns: minmax(6em, max-content) 1fr 3.5em; align-items: center; gap: 8px; }
meter { width: 100%; height: 0.9em; }
.score { text-align: right; font-variant-numeric: tabular-nums; }
.status { margin: 4px 0 0; font-size: 0.85em; color: var(--inpage-muted, #666); }
.status:empty { display: none; }
:host([data-state='error']) .status { color: var(--inpage-error, #b00020); }
`;

let sheet: CSSStyleSheet | null = null;

/**
 * The shared stylesheet, built once per page.
 * @example root.adoptedStyleSheets = [widgetStyles()];
 */
export function widgetStyles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

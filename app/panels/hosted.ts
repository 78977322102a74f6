/**
 * PLACEHOLDER for the hosted (Clarifai) path, issue [D]. Its client is being built in src/hosted/ but is not
 * exported from src/index.ts yet, and the app uses the public API only. When it is, this panel gets: PAT entry
 * (kept in memory unless "remember" is ticked), dataset sync progress, hosted training status, and local vs hosted
 * metrics side by side.
 */
import { h } from '../dom.js';

export function initHostedPanel(root: HTMLElement): void {
  root.append(
    h(
      'div',
      { class: 'card placeholder', id: 'hosted-placeholder' },
      h('h2', {}, 'Hosted training (Clarifai)'),
      h('p', {}, 'Coming with the hosted client: sync your labelled reviews to a Clarifai app, train there, and compare hosted and local metrics side by side.'),
      h('ul', {}, h('li', {}, 'Personal access token: used for this session only unless you ask to remember it.'), h('li', {}, 'Sync progress and training status.'), h('li', {}, 'Local vs hosted precision, recall and F1 per concept.')),
      h('p', { class: 'muted' }, 'Everything else in this app works without it, and without a network.'),
    ),
  );
}

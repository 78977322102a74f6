/** Step 1: get reviews in (paste, import), shape the concepts, browse and fix labels. */
import { h } from '../dom.js';
import { addReviewsCard } from './add-reviews.js';
import { conceptsCard } from './concepts.js';
import { examplesCard } from './examples.js';
import { importCard } from './import-card.js';

export function initDataPanel(root: HTMLElement): void {
  root.append(h('div', { class: 'grid three' }, importCard(), addReviewsCard(), conceptsCard()), examplesCard());
}

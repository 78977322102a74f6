/**
 * What every panel shares: the dataset, the classifier, the embedding cache, the active head, and a tiny event bus
 * so a label in one panel refreshes the others without them knowing each other.
 */
import { openDataset, openEmbeddingCache, type Classifier, type Dataset, type EmbeddingCache, type HeadFile } from '../src/index.js';

export type AppEvent = 'examples' | 'concepts' | 'heads' | 'active' | 'model';

const ACTIVE_KEY = 'inpage-app/active-head';

class AppState {
  readonly ds: Dataset = openDataset('inpage-app');
  readonly cache: EmbeddingCache = openEmbeddingCache({ budgetBytes: 128 << 20 });
  clf: Classifier | null = null;
  /** The head that scores reviews; null: the model's own concepts. */
  activeHead: HeadFile | null = null;
  activeHeadId: string | null = localStorage.getItem(ACTIVE_KEY);
  /** The active head version's name, for headings. */
  activeHeadName = '';
  private readonly listeners = new Map<AppEvent, Set<() => void>>();

  on(event: AppEvent, fn: () => void): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(fn);
  }

  emit(event: AppEvent): void {
    for (const fn of this.listeners.get(event) ?? []) fn();
  }

  setActive(id: string | null, head: HeadFile | null, name = ''): void {
    this.activeHeadId = id;
    this.activeHead = head;
    this.activeHeadName = name || id || '';
    if (id) localStorage.setItem(ACTIVE_KEY, id);
    else localStorage.removeItem(ACTIVE_KEY);
    this.emit('active');
  }

  /** Resolves once the model is loaded; panels call it before embedding. */
  async classifier(): Promise<Classifier> {
    if (this.clf) return this.clf;
    return new Promise((resolve) => this.on('model', () => this.clf && resolve(this.clf)));
  }
}

export const state = new AppState();

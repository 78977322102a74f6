/**
 * `<inpage-classifier>`: classifies a field's text as the user types and shows each concept with its score.
 * A plain HTMLElement (no framework): the widget stays small, and every DOM write is a createElement/textContent call
 * we can audit for strict CSP and HTML injection.
 */
import { createClassifier, type BrowserClassifierOptions } from '../create-classifier.js';
import type { Classifier } from '../classifier.js';
import type { Job } from '../job.js';
import type { ClassifyResult, ConceptScore, Device, HeadFile } from '../types.js';
import type { ClassifiedDetail, ErrorDetail, InpageClassifierEventMap, ProgressDetail } from './events.js';
import { parseConcepts, parseCount, parseDevice, parseThreshold, selectConcepts } from './options.js';
import { buildView, renderConcepts, type View } from './render.js';
import { widgetStyles } from './styles.js';
import { findTarget, readText, watchText } from './target.js';

/** Default pause after the last keystroke before classifying, in milliseconds. */
const DEFAULT_DEBOUNCE_MS = 150;

/** Widget state, also reflected as `data-state` on the element for styling. */
export type WidgetState = 'idle' | 'loading' | 'ready' | 'error';

/** Options passed through to `createClassifier` that have no attribute (e.g. `workerFactory`, `dtype`, `cache`). */
export type WidgetClassifierOptions = Omit<BrowserClassifierOptions, 'model' | 'head' | 'device' | 'onProgress'>;

/** Typed listeners for the widget's own events (`classified`, `error`, `progress`). */
export interface InpageClassifierElement {
  addEventListener<K extends keyof InpageClassifierEventMap>(
    type: K,
    listener: (this: InpageClassifierElement, ev: InpageClassifierEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof InpageClassifierEventMap>(
    type: K,
    listener: (this: InpageClassifierElement, ev: InpageClassifierEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * The custom element. Attributes: `for` (CSS selector of the field), `model`, `head`, `device`, `concepts`
 * (comma-separated), `threshold`, `top-k`, `debounce`. Each has a property of the same name (`htmlFor`, `topK`).
 * @example
 * // <textarea id="review"></textarea>
 * // <inpage-classifier for="#review" top-k="2"></inpage-classifier>
 * const el = document.querySelector('inpage-classifier')!;
 * el.addEventListener('classified', (e) => console.log(e.detail.result.concepts));
 */
export class InpageClassifierElement extends HTMLElement {
  static readonly observedAttributes = ['for', 'model', 'head', 'device', 'concepts', 'threshold', 'top-k'];

  /** Extra `createClassifier` options; set before the element connects, or call `reload()` after. */
  classifierOptions: WidgetClassifierOptions = {};

  private readonly view: View;
  private clf: Classifier | null = null;
  private loading: Promise<Classifier> | null = null;
  private generation = 0;
  private job: Job<ClassifyResult[]> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unwatch: (() => void) | null = null;
  private boundTarget: Element | null = null;
  private explicitTarget: Element | null = null;
  private headObject: HeadFile | null = null;
  private last: { text: string; all: ConceptScore[]; result: ClassifyResult } | null = null;
  private currentState: WidgetState = 'idle';
  private reloadQueued = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [widgetStyles()];
    this.view = buildView(root);
  }

  // ── properties mirroring attributes ──────────────────────────────────────────────────────────────────────────

  /** CSS selector of the field to classify (`for`); without it, the first field inside the element. */
  get htmlFor(): string {
    return this.getAttribute('for') ?? '';
  }
  set htmlFor(v: string) {
    this.setAttribute('for', v);
  }

  /** Model folder URL or hub id (`model`); empty: the shipped model. */
  get model(): string {
    return this.getAttribute('model') ?? '';
  }
  set model(v: string) {
    this.toggleAttr('model', v || null);
  }

  /** Head URL (`head`) or a head object; null: the model's own head. */
  get head(): string | HeadFile | null {
    return this.headObject ?? this.getAttribute('head');
  }
  set head(v: string | HeadFile | null) {
    const object = v !== null && typeof v === 'object' ? v : null;
    if (object || this.headObject) this.requestReload();
    this.headObject = object;
    this.toggleAttr('head', object ? null : (v as string | null) || null);
  }

  /** `'auto'` (default), `'wasm'` or `'webgpu'`. */
  get device(): Device {
    return parseDevice(this.getAttribute('device'));
  }
  set device(v: Device) {
    this.setAttribute('device', v);
  }

  /** Concepts to show (`concepts`, comma-separated); null: all. */
  get concepts(): string[] | null {
    return parseConcepts(this.getAttribute('concepts'));
  }
  set concepts(v: string[] | null) {
    this.toggleAttr('concepts', v?.length ? v.join(',') : null);
  }

  /** Hide concepts scoring below this (`threshold`, 0–1); null: show all. */
  get threshold(): number | null {
    return parseThreshold(this.getAttribute('threshold'));
  }
  set threshold(v: number | null) {
    this.toggleAttr('threshold', v === null ? null : String(v));
  }

  /** Show at most this many concepts (`top-k`); null: all. */
  get topK(): number | null {
    return parseCount(this.getAttribute('top-k'));
  }
  set topK(v: number | null) {
    this.toggleAttr('top-k', v === null ? null : String(v));
  }

  /** Milliseconds after the last keystroke before classifying (`debounce`, default 150). */
  get debounce(): number {
    return parseCount(this.getAttribute('debounce'), 0) ?? DEFAULT_DEBOUNCE_MS;
  }
  set debounce(v: number) {
    this.setAttribute('debounce', String(v));
  }

  /** The element being classified: set it directly, or let `for` find it. */
  get target(): Element | null {
    return this.explicitTarget ?? findTarget(this, this.getAttribute('for'));
  }
  set target(el: Element | null) {
    this.explicitTarget = el;
    if (this.isConnected) this.bindTarget();
  }

  // ── read-only state ─────────────────────────────────────────────────────────────────────────────────────────

  /** The last result as shown (concepts filtered by `concepts`, `threshold`, `top-k`); null before the first. */
  get result(): ClassifyResult | null {
    return this.last?.result ?? null;
  }

  /** The loaded classifier (its `info` says model, device, threads); null while loading. */
  get classifier(): Classifier | null {
    return this.clf;
  }

  get state(): WidgetState {
    return this.currentState;
  }

  // ── methods ─────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Classifies now: the given text, or the target's. Resolves with the result as shown; also fires `classified`.
   * @example const r = await el.classify('Great battery life.');
   */
  async classify(text?: string): Promise<ClassifyResult | null> {
    clearTimeout(this.timer);
    return this.run(text);
  }

  /** Loads the model again with the current attributes and options (model, head and device changes do this). */
  reload(): void {
    this.reloadQueued = false;
    if (!this.isConnected) return;
    this.release();
    const generation = ++this.generation;
    this.setState('loading', 'Loading the model…');
    const head = this.headObject ?? this.getAttribute('head') ?? undefined;
    const loading = createClassifier({
      ...this.classifierOptions,
      model: this.getAttribute('model') || undefined,
      head,
      device: this.device,
      onProgress: (p) => {
        if (generation !== this.generation) return;
        if (p.phase === 'download' && p.file) this.view.status.textContent = `Downloading ${p.file}…`;
        this.emit<ProgressDetail>('progress', p);
      },
    });
    this.loading = loading;
    loading.then(
      (clf) => {
        if (generation !== this.generation) return void clf.dispose();
        this.clf = clf;
        this.setState('ready', '');
        this.schedule(0);
      },
      (err: unknown) => {
        if (generation === this.generation) this.fail(err);
      },
    );
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────────────────────

  connectedCallback(): void {
    this.bindTarget();
    if (!this.loading) this.requestReload();
  }

  disconnectedCallback(): void {
    this.unbindTarget();
    // A move (disconnect then connect in the same task) keeps the model; a removal frees the worker.
    queueMicrotask(() => {
      if (!this.isConnected) this.release();
    });
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value || !this.isConnected) return;
    if (name === 'for') this.bindTarget();
    else if (name === 'model' || name === 'head' || name === 'device') this.requestReload();
    else this.showLast();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────────────

  private readonly onInput = (): void => this.schedule(this.debounce);

  /** Coalesces reloads: an upgrade or a script may change model, head and device in one go; one worker loads. */
  private requestReload(): void {
    if (this.reloadQueued) return;
    this.reloadQueued = true;
    queueMicrotask(() => {
      if (this.reloadQueued) this.reload();
    });
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run(given?: string): Promise<ClassifyResult | null> {
    const clf = this.clf ?? (await this.loading?.catch(() => null));
    const target = this.boundTarget;
    const text = given ?? (target ? readText(target) : '');
    if (!clf || clf !== this.clf) return null;
    this.job?.cancel();
    if (!text.trim()) {
      this.last = null;
      renderConcepts(this.view.list, []);
      return null;
    }
    const job = clf.classify([text]);
    this.job = job;
    try {
      const [raw] = await job;
      this.last = { text, all: raw.concepts, result: raw };
      return this.showLast();
    } catch (err) {
      if ((err as Error)?.name !== 'AbortError' && clf === this.clf) this.fail(err);
      return null;
    } finally {
      if (this.job === job) this.job = null;
    }
  }

  /** Renders the last scores through the current display attributes and announces them. */
  private showLast(): ClassifyResult | null {
    if (!this.last) return null;
    const { text, all } = this.last;
    const shown = selectConcepts(all, { concepts: this.concepts, threshold: this.threshold, topK: this.topK });
    const result: ClassifyResult = { ...this.last.result, concepts: shown };
    this.last = { text, all, result };
    renderConcepts(this.view.list, shown);
    this.emit<ClassifiedDetail>('classified', { text, result, all });
    return result;
  }

  private bindTarget(): void {
    const target = this.target;
    if (target === this.boundTarget) return;
    this.unbindTarget();
    this.boundTarget = target;
    if (target) {
      this.unwatch = watchText(target, this.onInput);
      if (this.clf) this.schedule(0);
    } else if (this.getAttribute('for')) {
      this.fail(new Error(`inpage-classifier: nothing matches for="${this.getAttribute('for')}"`));
    }
  }

  private unbindTarget(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.boundTarget = null;
  }

  /** Stops pending work and frees the worker; an in-flight load is disposed when it lands. */
  private release(): void {
    clearTimeout(this.timer);
    this.job?.cancel();
    this.job = null;
    this.generation++;
    void this.clf?.dispose();
    this.clf = null;
    this.loading = null;
  }

  private fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.setState('error', error.message);
    // Not bubbling: an `error` reaching window would look like a script error to page-wide handlers.
    this.dispatchEvent(new CustomEvent<ErrorDetail>('error', { detail: { error } }));
  }

  private setState(state: WidgetState, status: string): void {
    this.currentState = state;
    this.dataset.state = state;
    this.view.status.textContent = status;
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private toggleAttr(name: string, value: string | null): void {
    if (value === null) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }
}

/**
 * Where the PAT lives: in memory (a private field, invisible to JSON, structured clone of the client and console
 * dumps), or in sessionStorage when the caller opts in. Never localStorage, IndexedDB, cookies or URLs.
 */

export type PatStorage = 'memory' | 'session';

/** The sessionStorage key used when `patStorage: 'session'`. */
export const SESSION_PAT_KEY = 'inpage-classifier:clarifai-pat';

export class Credentials {
  #pat: string | undefined;
  readonly storage: PatStorage;

  constructor(pat: string | undefined, storage: PatStorage = 'memory') {
    this.storage = storage;
    if (storage === 'session') {
      const ss = sessionStore();
      if (pat) ss?.setItem(SESSION_PAT_KEY, pat);
      this.#pat = pat ?? ss?.getItem(SESSION_PAT_KEY) ?? undefined;
    } else {
      this.#pat = pat;
    }
  }

  get hasPat(): boolean {
    return !!this.#pat;
  }

  /** The header value, or undefined (proxy deployments). Only the transport calls this. */
  authorization(): string | undefined {
    return this.#pat ? `Key ${this.#pat}` : undefined;
  }

  /** Replaces every occurrence of the PAT in `text` (a safety net for messages that quote server text). */
  redact(text: string): string {
    return this.#pat ? text.split(this.#pat).join('[redacted]') : text;
  }

  /** Drops the PAT from memory and from sessionStorage. */
  forget(): void {
    this.#pat = undefined;
    sessionStore()?.removeItem(SESSION_PAT_KEY);
  }

  toJSON(): { storage: PatStorage; hasPat: boolean } {
    return { storage: this.storage, hasPat: this.hasPat };
  }
}

function sessionStore(): Storage | undefined {
  return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
}

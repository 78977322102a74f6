/**
 * Model references: a folder URL, a relative folder, or a Hugging Face–style hub id resolved against a configurable hub
 * in the `/{id}/resolve/{revision}/{file}` layout.
 */

/** Default hub base URL. Only used when a model is given as a hub id (`org/name`). */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

export interface HubOptions {
  /** Base URL of the hub. Default `https://huggingface.co`; point it at a mirror or a local server. */
  hubUrl?: string;
  /** Branch, tag or commit. Default `main`. */
  revision?: string;
}

/** `org/name` (one slash, no scheme, not starting with `.` or `/`) is a hub id; anything else is a location. */
export function isHubId(ref: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(ref) && !ref.startsWith('.') && !/^[a-z]+:/i.test(ref);
}

/**
 * The base URL holding a hub model's files.
 * @example hubBaseUrl('Xenova/all-MiniLM-L6-v2') // 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/'
 */
export function hubBaseUrl(id: string, { hubUrl = DEFAULT_HUB_URL, revision = 'main' }: HubOptions = {}): string {
  const hub = hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`;
  return new URL(`${id}/resolve/${encodeURIComponent(revision)}/`, hub).href;
}

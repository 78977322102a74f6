/**
 * Hosted input ids, derived from example ids so a retried upload can never duplicate: `<prefix>-<example>-<labels>`.
 * The labels part changes when the labels (or, with explicit negatives, the concept list) change, so an edit is a
 * delete of the old id plus an add of a new one — no in-place update, whose request shape is unconfirmed (§7.16).
 */
import { ID_PATTERN } from './contract.js';

/** FNV-1a 32-bit, as 8 hex digits: short, stable, no dependency. */
export function fnv32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const SAFE = /^[A-Za-z0-9_]{1,40}$/;

/** The example-id part: the id itself when it fits the charset, else its hash (two lanes, 16 hex digits). */
export function exampleKey(exampleId: string): string {
  return SAFE.test(exampleId) ? exampleId : fnv32(exampleId) + fnv32(`~${exampleId}`);
}

/**
 * @example inputIdFor('ipc', 'a1b2', ['positive'], null) // 'ipc-a1b2-9c3f…'
 */
export function inputIdFor(prefix: string, exampleId: string, labels: readonly string[], concepts: readonly string[] | null): string {
  const labelPart = [...labels].sort().join('\u0001') + (concepts ? `\u0002${[...concepts].sort().join('\u0001')}` : '');
  const id = `${prefix}-${exampleKey(exampleId)}-${fnv32(labelPart)}`;
  if (!ID_PATTERN.test(id)) throw new RangeError(`input id ${id} does not fit ${ID_PATTERN}`);
  return id;
}

/** `{ prefix, key }` of one of our ids, or null for inputs this library did not create. */
export function parseInputId(id: string, prefix: string): { key: string; labels: string } | null {
  const m = /^([A-Za-z0-9_]+)-([A-Za-z0-9_]+)-([0-9a-f]{8})$/.exec(id);
  return m && m[1] === prefix ? { key: m[2], labels: m[3] } : null;
}

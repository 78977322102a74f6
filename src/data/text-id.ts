/**
 * Text identity: an example's id is a hash of its normalised text, so the same review pasted twice (or in two tabs at
 * once) lands on the same key and dedupe needs no coordination. Pure and synchronous.
 */

/**
 * Unicode NFKC, lower case, whitespace runs collapsed, trimmed: texts that differ only in these ways are one example.
 * @example normalizeText('  Great\u00a0  PHONE ') // 'great phone'
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * 64-bit hash (two independent 32-bit lanes, cyrb53-style mixing) of a string, as 16 hex digits. At 1M texts the chance
 * of any collision is about 3e-8.
 * @example hash64('abc') // '…16 hex digits…'
 */
export function hash64(s: string): string {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/**
 * The id of the example holding `text`: the hash of its normalised form.
 * @example textId('Great phone') === textId('  great   PHONE') // true
 */
export function textId(text: string): string {
  return hash64(normalizeText(text));
}

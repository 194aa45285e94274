/** Small deterministic helpers: splitting text into stream pieces, hashing, signatures, a seeded PRNG. */

const WORD = /\s*\S+/g;

/**
 * Splits text into word pieces that join back to the exact text: each piece carries its leading
 * whitespace (`"Echo: hi there"` -> `["Echo:", " hi", " there"]`); trailing whitespace rides on
 * the last piece.
 */
export function splitWords(text: string): string[] {
  if (text === '') return [];
  const pieces = text.match(WORD);
  if (!pieces) return [text];
  const joinedLength = pieces.reduce((n, p) => n + p.length, 0);
  if (joinedLength < text.length) pieces[pieces.length - 1] += text.slice(joinedLength);
  return pieces;
}

/** Splits text into `n` pieces of nearly equal length (by code point, so no surrogate is cut). */
export function splitInto(text: string, n: number): string[] {
  if (text === '') return [];
  const points = Array.from(text);
  const count = Math.max(1, Math.min(Math.floor(n), points.length));
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = Math.round(((i + 1) * points.length) / count);
    pieces.push(points.slice(start, end).join(''));
    start = end;
  }
  return pieces;
}

/** Text pieces: `chunks` equal pieces when given, else word by word. */
export function splitText(text: string, chunks: number | undefined): string[] {
  return chunks !== undefined && chunks > 0 ? splitInto(text, chunks) : splitWords(text);
}

/** FNV-1a, 32 bits. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic, base64-valid opaque signature for a piece of text. */
export function signatureFor(text: string): string {
  const hex = fnv1a(text).toString(16).padStart(8, '0');
  return Buffer.from(`emu-signature:${hex}:${text.length}`).toString('base64');
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximate token count of `chars` characters: ceil(chars / 4), at least 1. */
export function tokensForChars(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

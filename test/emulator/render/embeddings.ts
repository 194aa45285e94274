/**
 * OpenAI embeddings: deterministic unit vectors derived from the input text, as float arrays or,
 * with `encoding_format: "base64"` (the openai SDK's default), base64 of little-endian float32.
 */
import { fnv1a, seededRandom, tokensForChars } from '../text.js';

/** The vector the emulator returns for `text` (tests compute the expected value with it). */
export function embeddingVector(text: string, dimensions: number): Float32Array {
  const next = seededRandom(fnv1a(text));
  const raw = new Float64Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const v = next() * 2 - 1;
    raw[i] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = (raw[i] ?? 0) * scale;
  return out;
}

/** Little-endian float32 bytes, base64 encoded. */
export function embeddingBase64(v: Float32Array): string {
  const buf = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] ?? 0, i * 4);
  return buf.toString('base64');
}

/** The shortest decimal that reads back as the same float32, as OpenAI prints them. */
function shortFloat(x: number): number {
  for (let p = 1; p < 9; p++) {
    const n = Number(x.toPrecision(p));
    if (Math.fround(n) === x) return n;
  }
  return Number(x.toPrecision(9));
}

export function defaultDimensions(model: string): number {
  return model.includes('large') ? 3072 : 1536;
}

const cache = new Map<string, number[] | string>();
const CACHE_LIMIT = 512;

function encoded(text: string, dimensions: number, base64: boolean): number[] | string {
  const key = `${base64 ? 'b' : 'f'}${dimensions}:${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const v = embeddingVector(text, dimensions);
  const value = base64 ? embeddingBase64(v) : Array.from(v, shortFloat);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export type EmbeddingInputs = { texts: string[]; tokens: number } | { error: string };

/** A string, an array of strings, an array of token ids, or an array of token-id arrays. */
export function embeddingInputs(input: unknown): EmbeddingInputs {
  const isTokens = (v: unknown): v is number[] => Array.isArray(v) && v.every((t) => typeof t === 'number');
  if (typeof input === 'string') return { texts: [input], tokens: tokensForChars(input.length) };
  if (isTokens(input) && input.length > 0) return { texts: [`tokens:${input.join(',')}`], tokens: input.length };
  if (Array.isArray(input) && input.length > 0) {
    const texts: string[] = [];
    let tokens = 0;
    for (const item of input) {
      if (typeof item === 'string') {
        texts.push(item);
        tokens += tokensForChars(item.length);
      } else if (isTokens(item)) {
        texts.push(`tokens:${item.join(',')}`);
        tokens += item.length;
      } else {
        return { error: "Invalid 'input': expected a string, an array of strings or an array of token arrays." };
      }
    }
    return { texts, tokens };
  }
  return { error: "'input' is a required property and must be a non-empty string or array." };
}

export function embeddingsResponse(model: string, texts: string[], tokens: number, dimensions: number, base64: boolean): unknown {
  return {
    object: 'list',
    data: texts.map((text, index) => ({ object: 'embedding', index, embedding: encoded(text, dimensions, base64) })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

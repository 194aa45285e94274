/**
 * Small narrowing helpers for reading Anthropic wire JSON (`unknown` in, typed values out).
 * Request readers throw `invalidRequest` naming the offending parameter path.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CacheControl } from '../../canonical/types.js';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function optionalString(obj: JsonObject, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`${path}: expected a string`, path);
  return v;
}

export function requiredString(obj: JsonObject, key: string, path: string): string {
  const v = optionalString(obj, key, path);
  if (v === undefined) throw invalidRequest(`${path}: field required`, path);
  return v;
}

export function optionalNumber(obj: JsonObject, key: string, path: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRequest(`${path}: expected a number`, path);
  return v;
}

export function optionalInteger(obj: JsonObject, key: string, path: string): number | undefined {
  const v = optionalNumber(obj, key, path);
  if (v !== undefined && !Number.isInteger(v)) throw invalidRequest(`${path}: expected an integer`, path);
  return v;
}

export function optionalBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidRequest(`${path}: expected a boolean`, path);
  return v;
}

export function requiredObject(v: unknown, path: string): JsonObject {
  if (!isObject(v)) throw invalidRequest(`${path}: expected an object`, path);
  return v;
}

/** `cache_control: {type: "ephemeral", ttl?}` -> CacheControl; anything else is ignored. */
export function readCacheControl(obj: JsonObject): CacheControl | undefined {
  const cc = obj.cache_control;
  if (!isObject(cc) || cc.type !== 'ephemeral') return undefined;
  const out: CacheControl = { type: 'ephemeral' };
  if (typeof cc.ttl === 'string') out.ttl = cc.ttl;
  return out;
}

/** CacheControl -> wire form, or nothing. */
export function cacheControlWire(cc: CacheControl | undefined): { cache_control?: JsonObject } {
  if (!cc) return {};
  const wire: JsonObject = { type: cc.type };
  if (cc.ttl !== undefined) wire.ttl = cc.ttl;
  return { cache_control: wire };
}

/** Numbers read from provider JSON (absent, null or non-numeric -> undefined). */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

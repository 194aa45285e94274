/**
 * Small narrowing helpers for reading Gemini wire JSON (`unknown` in, typed values out) and the
 * few wire shapes the Gemini dialect writes.
 */
import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../../canonical/errors.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional field that must be an object when present (400 otherwise). */
export function optObject(value: unknown, param: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidRequest(`${param} must be an object`, param);
  return value;
}

export function optArray(value: unknown, param: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`${param} must be an array`, param);
  return value;
}

export function optString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${param} must be a string`, param);
  return value;
}

export function optNumber(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidRequest(`${param} must be a number`, param);
  }
  return value;
}

export function optInteger(value: unknown, param: string): number | undefined {
  const n = optNumber(value, param);
  if (n !== undefined && !Number.isInteger(n)) throw invalidRequest(`${param} must be an integer`, param);
  return n;
}

export function optBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${param} must be a boolean`, param);
  return value;
}

/** Lenient readers for upstream responses (never throw: a provider's oddity is not a 400). */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Random id suffix for synthesized ids (unique across turns and responses). */
export function randomId(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

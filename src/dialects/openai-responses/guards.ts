/**
 * Narrowing helpers for untrusted JSON. Everything that reads a client body goes through these so
 * bad input becomes a 400 that names the offending parameter, never a TypeError.
 */
import { invalidRequest } from '../../canonical/errors.js';

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that is absent or JSON null. */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function optString(value: unknown, param: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${param} must be a string`, param);
  return value;
}

export function optNumber(value: unknown, param: string): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidRequest(`${param} must be a number`, param);
  }
  return value;
}

export function optInteger(value: unknown, param: string, min: number): number | undefined {
  const n = optNumber(value, param);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min) {
    throw invalidRequest(`${param} must be an integer >= ${min}`, param);
  }
  return n;
}

export function optBoolean(value: unknown, param: string): boolean | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${param} must be a boolean`, param);
  return value;
}

export function optRecord(value: unknown, param: string): JsonObject | undefined {
  if (isAbsent(value)) return undefined;
  if (!isRecord(value)) throw invalidRequest(`${param} must be an object`, param);
  return value;
}

export function optArray(value: unknown, param: string): unknown[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`${param} must be an array`, param);
  return value;
}

export function reqString(value: unknown, param: string): string {
  const s = optString(value, param);
  if (s === undefined) throw invalidRequest(`${param} is required`, param);
  return s;
}

/** Reads a string field of an upstream (trusted-shape) object without throwing. */
export function str(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** Reads a finite number field of an upstream object without throwing. */
export function num(obj: JsonObject, key: string): number | undefined {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function rec(obj: JsonObject, key: string): JsonObject | undefined {
  const v = obj[key];
  return isRecord(v) ? v : undefined;
}

export function arr(obj: JsonObject, key: string): unknown[] {
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

/** Parses a JSON text into an object; undefined when it is not JSON or not an object. */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

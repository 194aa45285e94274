/** JSON columns: parse defensively (a damaged value reads as the fallback, never throws). */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export const flag = (b: boolean | undefined | null): 0 | 1 => (b ? 1 : 0);

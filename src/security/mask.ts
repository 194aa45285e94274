/** How secrets are shown when they must be shown at all: a hint, never the value. */

/** "sk-…WXYZ" style hint: up to 3 leading characters and the last 4, for keys of 12+ chars. */
export function secretHint(secret: string): string {
  if (secret.length < 12) return '****';
  const head = secret.slice(0, 3);
  return `${head}…${secret.slice(-4)}`;
}

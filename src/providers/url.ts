/**
 * Joining a provider's base URL and an API path. A base URL without a path
 * (`https://api.openai.com`) gets the full versioned path (`/v1/chat/completions`); a base URL
 * that already has one (`http://localhost:11434/v1`, `https://openrouter.ai/api/v1`) is the API
 * root and gets the rest (`/chat/completions`).
 */
export function hasApiRoot(baseUrl: string): boolean {
  try {
    const path = new URL(baseUrl).pathname;
    return path !== '' && path !== '/';
  } catch {
    return false;
  }
}

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** `versioned` is the path with its version prefix, e.g. "/v1/chat/completions". */
export function joinApiPath(baseUrl: string, versioned: string): string {
  const base = trimSlash(baseUrl);
  if (!hasApiRoot(base)) return base + versioned;
  // drop the leading "/v1" or "/v1beta" segment: the base already names the API root
  const rest = versioned.replace(/^\/v\d+[a-z0-9]*(?=\/)/, '');
  return base + rest;
}

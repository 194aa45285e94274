/** Model lists in each provider's shape (the `'*'` wildcard entry is not listed). */
import type { ProviderName } from '../types.js';

const CREATED = 1_700_000_000;

/** `claude-sonnet-4-5` -> `Claude Sonnet 4.5` */
function displayName(id: string): string {
  const words: string[] = [];
  let version: string[] = [];
  const flush = (): void => {
    if (version.length > 0) words.push(version.join('.'));
    version = [];
  };
  for (const part of id.split('-')) {
    if (/^\d{1,2}$/.test(part)) version.push(part);
    else if (/^\d{8}$/.test(part)) continue;
    else {
      flush();
      words.push(part.charAt(0).toUpperCase() + part.slice(1));
    }
  }
  flush();
  return words.join(' ');
}

function isEmbedding(id: string): boolean {
  return id.includes('embedding');
}

export function modelEntry(provider: ProviderName, id: string): unknown {
  switch (provider) {
    case 'openai':
      return { id, object: 'model', created: CREATED, owned_by: 'openai' };
    case 'azure':
      return {
        id,
        object: 'model',
        created_at: CREATED,
        status: 'succeeded',
        lifecycle_status: 'generally-available',
        capabilities: {
          chat_completion: !isEmbedding(id),
          completion: false,
          embeddings: isEmbedding(id),
          fine_tune: false,
          inference: true,
        },
      };
    case 'anthropic':
      return { type: 'model', id, display_name: displayName(id), created_at: '2025-01-01T00:00:00Z' };
    case 'gemini':
      return {
        name: `models/${id}`,
        version: '001',
        displayName: displayName(id),
        description: `${displayName(id)} (emulated)`,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: isEmbedding(id) ? ['embedContent'] : ['generateContent', 'countTokens'],
        temperature: 1,
        topP: 0.95,
        topK: 64,
        maxTemperature: 2,
      };
  }
}

export function modelList(provider: ProviderName, models: readonly string[]): unknown {
  const ids = models.filter((m) => m !== '*');
  const data = ids.map((id) => modelEntry(provider, id));
  switch (provider) {
    case 'openai':
    case 'azure':
      return { object: 'list', data };
    case 'anthropic':
      return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null };
    case 'gemini':
      return { models: data };
  }
}

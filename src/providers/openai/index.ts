import type { Dialect } from '../../canonical/types.js';
import { parseDataList } from '../model-list.js';
import type { Provider, ProviderKindSpec, UpstreamTarget } from '../types.js';
import { joinApiPath } from '../url.js';

const PATHS: Partial<Record<Dialect, string>> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
};

/** OpenAI's own API and anything shaped exactly like it. */
export function openAiLikeSpec(kind: 'openai' | 'openai-compatible', defaultBaseUrl: string | null, defaultDialects: readonly Dialect[]): ProviderKindSpec {
  return {
    kind,
    defaultBaseUrl,
    defaultDialects,
    inferenceTarget(p: Provider, dialect: Dialect): UpstreamTarget {
      const path = PATHS[dialect];
      if (!path) throw new Error(`${kind} provider cannot serve the ${dialect} dialect`);
      return { url: joinApiPath(p.baseUrl, path), modelInBody: true };
    },
    embeddingsTarget(p: Provider): UpstreamTarget {
      return { url: joinApiPath(p.baseUrl, '/v1/embeddings'), modelInBody: true };
    },
    authHeaders(_p: Provider, key: string): Record<string, string> {
      return { authorization: `Bearer ${key}` };
    },
    modelsUrl(p: Provider): string {
      return joinApiPath(p.baseUrl, '/v1/models');
    },
    parseModelList: parseDataList,
  };
}

export const openAiSpec = openAiLikeSpec('openai', 'https://api.openai.com', ['openai-chat', 'openai-responses']);

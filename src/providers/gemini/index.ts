import type { Dialect } from '../../canonical/types.js';
import { parseGeminiList } from '../model-list.js';
import type { Provider, ProviderKindSpec, UpstreamTarget } from '../types.js';
import { joinApiPath } from '../url.js';

/** Google Gemini API: the model in the URL, the key in `x-goog-api-key` (never in the URL). */
export const geminiSpec: ProviderKindSpec = {
  kind: 'gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  defaultDialects: ['gemini'],
  inferenceTarget(p: Provider, dialect: Dialect, model: string, stream: boolean): UpstreamTarget {
    if (dialect !== 'gemini') throw new Error(`gemini provider cannot serve the ${dialect} dialect`);
    const m = encodeURIComponent(model);
    const path = stream ? `/v1beta/models/${m}:streamGenerateContent?alt=sse` : `/v1beta/models/${m}:generateContent`;
    return { url: joinApiPath(p.baseUrl, path), modelInBody: false };
  },
  embeddingsTarget(): null {
    return null;
  },
  authHeaders(_p: Provider, key: string): Record<string, string> {
    return { 'x-goog-api-key': key };
  },
  modelsUrl(p: Provider): string {
    return `${joinApiPath(p.baseUrl, '/v1beta/models')}?pageSize=1000`;
  },
  parseModelList: parseGeminiList,
};

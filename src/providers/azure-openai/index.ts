import type { Dialect } from '../../canonical/types.js';
import { parseDataList } from '../model-list.js';
import type { Provider, ProviderKindSpec, UpstreamTarget } from '../types.js';
import { trimSlash } from '../url.js';

/**
 * Azure OpenAI: the model is a deployment name in the URL, the key goes in `api-key`, every call
 * carries `api-version`. List deployments as the provider's `models` (Azure's model list shows
 * base models, not deployments).
 */
function deploymentUrl(p: Provider, model: string, op: string): string {
  const version = encodeURIComponent(p.apiVersion ?? '2024-10-21');
  return `${trimSlash(p.baseUrl)}/openai/deployments/${encodeURIComponent(model)}/${op}?api-version=${version}`;
}

export const azureOpenAiSpec: ProviderKindSpec = {
  kind: 'azure-openai',
  defaultBaseUrl: null,
  defaultDialects: ['openai-chat'],
  inferenceTarget(p: Provider, dialect: Dialect, model: string): UpstreamTarget {
    if (dialect === 'openai-chat') return { url: deploymentUrl(p, model, 'chat/completions'), modelInBody: false };
    if (dialect === 'openai-responses') {
      const version = encodeURIComponent(p.apiVersion ?? 'preview');
      return { url: `${trimSlash(p.baseUrl)}/openai/v1/responses?api-version=${version}`, modelInBody: true };
    }
    throw new Error(`azure-openai provider cannot serve the ${dialect} dialect`);
  },
  embeddingsTarget(p: Provider, model: string): UpstreamTarget {
    return { url: deploymentUrl(p, model, 'embeddings'), modelInBody: false };
  },
  authHeaders(_p: Provider, key: string): Record<string, string> {
    return { 'api-key': key };
  },
  modelsUrl(p: Provider): string {
    return `${trimSlash(p.baseUrl)}/openai/models?api-version=${encodeURIComponent(p.apiVersion ?? '2024-10-21')}`;
  },
  parseModelList: parseDataList,
};

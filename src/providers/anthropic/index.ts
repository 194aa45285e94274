import type { Dialect } from '../../canonical/types.js';
import { parseDataList } from '../model-list.js';
import type { Provider, ProviderKindSpec, UpstreamTarget } from '../types.js';
import { joinApiPath } from '../url.js';

/** The Messages API version the gateway speaks upstream (the client's own header is never forwarded). */
export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicSpec: ProviderKindSpec = {
  kind: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  defaultDialects: ['anthropic'],
  inferenceTarget(p: Provider, dialect: Dialect): UpstreamTarget {
    if (dialect !== 'anthropic') throw new Error(`anthropic provider cannot serve the ${dialect} dialect`);
    return { url: joinApiPath(p.baseUrl, '/v1/messages'), modelInBody: true };
  },
  embeddingsTarget(): null {
    return null;
  },
  authHeaders(_p: Provider, key: string): Record<string, string> {
    return { 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION };
  },
  modelsUrl(p: Provider): string {
    return `${joinApiPath(p.baseUrl, '/v1/models')}?limit=1000`;
  },
  parseModelList: parseDataList,
};

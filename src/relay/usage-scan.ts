/** Usage out of a forwarded (non-stream) response body, without parsing the whole body. */
import type { Dialect, Usage } from '../canonical/types.js';
import {
  emptyUsage,
  mergeUsage,
  usageFromAnthropic,
  usageFromGemini,
  usageFromOpenAiChat,
  usageFromOpenAiResponses,
} from '../usage/extract.js';
import { lastObjectValue } from './json-scan.js';

export function usageOfBody(dialect: Dialect | 'embeddings', body: Buffer): Usage {
  switch (dialect) {
    case 'openai-chat':
      return usageFromOpenAiChat(lastObjectValue(body, 'usage'));
    case 'openai-responses':
      return usageFromOpenAiResponses(lastObjectValue(body, 'usage'));
    case 'anthropic':
      return mergeUsage(emptyUsage(), usageFromAnthropic(lastObjectValue(body, 'usage')));
    case 'gemini':
      return usageFromGemini(lastObjectValue(body, 'usageMetadata'));
    case 'embeddings': {
      const u = lastObjectValue(body, 'usage');
      const n = u && typeof u === 'object' && 'prompt_tokens' in u ? Number((u as { prompt_tokens: unknown }).prompt_tokens) : 0;
      return { ...emptyUsage(), input: Number.isFinite(n) && n > 0 ? n : 0 };
    }
  }
}

import type { Dialect } from '../canonical/types.js';
import { anthropicDialect } from './anthropic/index.js';
import { geminiDialect } from './gemini/index.js';
import { openAiChatDialect } from './openai-chat/index.js';
import { openAiResponsesDialect } from './openai-responses/index.js';
import type { DialectModule } from './types.js';

const MODULES: Record<Dialect, DialectModule> = {
  'openai-chat': openAiChatDialect,
  'openai-responses': openAiResponsesDialect,
  anthropic: anthropicDialect,
  gemini: geminiDialect,
};

export function dialectModule(d: Dialect): DialectModule {
  return MODULES[d];
}

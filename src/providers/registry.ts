import { anthropicSpec } from './anthropic/index.js';
import { azureOpenAiSpec } from './azure-openai/index.js';
import { geminiSpec } from './gemini/index.js';
import { openAiSpec } from './openai/index.js';
import { openAiCompatibleSpec } from './openai-compatible/index.js';
import type { ProviderKind, ProviderKindSpec } from './types.js';

const SPECS: Record<ProviderKind, ProviderKindSpec> = {
  openai: openAiSpec,
  'openai-compatible': openAiCompatibleSpec,
  'azure-openai': azureOpenAiSpec,
  anthropic: anthropicSpec,
  gemini: geminiSpec,
};

export function kindSpec(kind: ProviderKind): ProviderKindSpec {
  return SPECS[kind];
}

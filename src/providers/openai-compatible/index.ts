import { openAiLikeSpec } from '../openai/index.js';

/**
 * vLLM, Ollama, LM Studio, OpenRouter, DeepSeek, …: OpenAI's wire format at another base URL.
 * Chat Completions by default; a provider that also serves the Responses API says so with
 * `dialects: [openai-chat, openai-responses]`.
 */
export const openAiCompatibleSpec = openAiLikeSpec('openai-compatible', null, ['openai-chat']);

/**
 * A token estimate for /v1/messages/count_tokens when the provider cannot count (a non-Anthropic
 * upstream). It is a heuristic, not a tokenizer, and says so by being round:
 *
 * - text of every kind (system, messages, tool-call arguments, tool results, thinking text):
 *   characters / 4, rounded up, summed per message;
 * - each message: MESSAGE_OVERHEAD_TOKENS for its role and framing;
 * - each image: IMAGE_TOKENS (Anthropic's own estimate for an image at its size limit,
 *   ~1.15 megapixels / 750 pixels per token);
 * - each document: DOCUMENT_TOKENS, or characters / 4 for a plain-text document;
 * - audio: AUDIO_TOKENS;
 * - tools: the JSON text of each definition (name, description, schema) / 4; built-in tools the
 *   JSON text of their configuration / 4;
 * - opaque blocks (server tool results): their JSON text / 4.
 */
import type { CanonicalRequest, ContentBlock, FileBlock } from '../canonical/types.js';

export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const IMAGE_TOKENS = 1600;
export const DOCUMENT_TOKENS = 1500;
export const AUDIO_TOKENS = 1000;

function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function fileTokens(block: FileBlock): number {
  const src = block.source;
  if (src.kind === 'base64' && src.mediaType.toLowerCase().startsWith('text/')) {
    return textTokens(Buffer.from(src.data, 'base64').toString('utf8'));
  }
  return DOCUMENT_TOKENS;
}

function blockTokens(block: ContentBlock): number {
  switch (block.type) {
    case 'text':
      return textTokens(block.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'file':
      return fileTokens(block);
    case 'audio':
      return AUDIO_TOKENS;
    case 'tool_call':
      return textTokens(block.name) + textTokens(block.arguments);
    case 'tool_result':
      return block.content.reduce((n, part) => n + blockTokens(part), 0);
    case 'reasoning':
      return textTokens(block.text);
    case 'opaque':
      return textTokens(JSON.stringify(block.value) ?? '');
  }
}

export function estimateInputTokens(req: CanonicalRequest): number {
  let total = 0;
  for (const msg of req.messages) {
    total += MESSAGE_OVERHEAD_TOKENS;
    for (const block of msg.content) total += blockTokens(block);
  }
  for (const tool of req.tools ?? []) {
    total += textTokens(JSON.stringify({ name: tool.name, description: tool.description ?? '', input_schema: tool.parameters }));
  }
  for (const tool of req.builtinTools ?? []) total += textTokens(JSON.stringify(tool.value));
  return total;
}

/**
 * What the emulator reads from a request, per wire format: the text of the last user turn (for the
 * echo), the number of text characters (for the input token count) and whether the client asked
 * to see the model's reasoning.
 */

export interface Conversation {
  /** Text of the last user turn; tool results when that turn carries only tool results. */
  lastUserText: string;
  /** Characters of every text in the request: system prompt, message texts, tool results. */
  chars: number;
  /** The request asks for visible reasoning (Anthropic thinking, Gemini includeThoughts, Responses reasoning summary). */
  thinking: boolean;
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Texts of a content value: a string, or an array of parts with a `text` field. */
function partTexts(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  const out: string[] = [];
  for (const part of list(content)) {
    if (isObject(part) && typeof part.text === 'string') out.push(part.text);
  }
  return out;
}

function sum(texts: string[]): number {
  let n = 0;
  for (const t of texts) n += t.length;
  return n;
}

/** OpenAI Chat Completions: `messages[]` with string or part-array content; `tool` messages are tool results. */
export function chatConversation(body: JsonObject): Conversation {
  let chars = 0;
  let last = '';
  for (const m of list(body.messages)) {
    if (!isObject(m)) continue;
    const texts = partTexts(m.content);
    chars += sum(texts);
    if (m.role === 'user' || m.role === 'tool') last = texts.join('\n');
  }
  return { lastUserText: last, chars, thinking: false };
}

/** OpenAI Responses: `instructions`, and `input` as a string or items (messages, function_call_output). */
export function responsesConversation(body: JsonObject): Conversation {
  let chars = str(body.instructions).length;
  let last = '';
  if (typeof body.input === 'string') {
    chars += body.input.length;
    last = body.input;
  }
  for (const item of list(body.input)) {
    if (!isObject(item)) continue;
    if (item.type === 'function_call_output') {
      const texts = partTexts(item.output);
      chars += sum(texts);
      last = texts.join('\n');
    } else if (typeof item.role === 'string') {
      const texts = partTexts(item.content);
      chars += sum(texts);
      if (item.role === 'user') last = texts.join('\n');
    }
  }
  const reasoning = body.reasoning;
  const thinking = isObject(reasoning) && typeof reasoning.summary === 'string' && reasoning.summary !== 'none';
  return { lastUserText: last, chars, thinking };
}

/** Anthropic Messages: `system` string or blocks; content blocks `text` and `tool_result`. */
export function anthropicConversation(body: JsonObject): Conversation {
  let chars = sum(partTexts(body.system));
  let last = '';
  for (const m of list(body.messages)) {
    if (!isObject(m)) continue;
    const texts: string[] = [];
    const results: string[] = [];
    if (typeof m.content === 'string') texts.push(m.content);
    for (const block of list(m.content)) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
      else if (block.type === 'tool_result') results.push(...partTexts(block.content));
    }
    chars += sum(texts) + sum(results);
    if (m.role === 'user') last = (texts.length > 0 ? texts : results).join('\n');
  }
  const thinking = isObject(body.thinking) && (body.thinking.type === 'enabled' || body.thinking.type === 'adaptive');
  return { lastUserText: last, chars, thinking };
}

/** Gemini: `contents[].parts[]` (text, functionResponse), `systemInstruction.parts[]`. */
export function geminiConversation(body: JsonObject): Conversation {
  const system = isObject(body.systemInstruction) ? partTexts(body.systemInstruction.parts) : [];
  let chars = sum(system);
  let last = '';
  for (const c of list(body.contents)) {
    if (!isObject(c)) continue;
    const texts: string[] = [];
    const results: string[] = [];
    for (const part of list(c.parts)) {
      if (!isObject(part)) continue;
      if (typeof part.text === 'string' && part.thought !== true) texts.push(part.text);
      else if (isObject(part.functionResponse)) results.push(JSON.stringify(part.functionResponse.response ?? {}));
    }
    chars += sum(texts) + sum(results);
    if (c.role === undefined || c.role === 'user') last = (texts.length > 0 ? texts : results).join('\n');
  }
  const config = body.generationConfig;
  const thinkingConfig = isObject(config) ? config.thinkingConfig : undefined;
  const thinking = isObject(thinkingConfig) && thinkingConfig.includeThoughts === true;
  return { lastUserText: last, chars, thinking };
}

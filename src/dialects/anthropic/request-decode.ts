/**
 * Anthropic Messages request -> CanonicalRequest.
 *
 * - `system` (string or text blocks, cache_control kept) -> one leading system message.
 * - A `{"role": "system"}` message inside `messages` (Claude Code sends one for model ids it does
 *   not know) -> a system message in place.
 * - A user message holding tool_result blocks -> a `tool` message with those results, then a
 *   `user` message with the rest, run by run in their order.
 * - Fields without a canonical home (service_tier, context_management, mcp_servers, container,
 *   inference_geo, speed, top-level cache_control, …) -> unknownFields.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalMessage, CanonicalRequest, ContentBlock } from '../../canonical/types.js';
import type { RequestDecodeContext } from '../types.js';
import { decodeContent, decodeSystemContent } from './content-decode.js';
import { decodeReasoning, decodeTools, decodeToolChoice } from './options-decode.js';
import {
  isObject,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  requiredObject,
  type JsonObject,
} from './wire.js';

const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
]);

/** Split a user message's blocks into runs: tool results -> `tool`, everything else -> `user`. */
function pushUserRuns(out: CanonicalMessage[], blocks: ContentBlock[]): void {
  let run: CanonicalMessage | undefined;
  for (const block of blocks) {
    const role = block.type === 'tool_result' ? 'tool' : 'user';
    if (!run || run.role !== role) {
      run = { role, content: [] };
      out.push(run);
    }
    run.content.push(block);
  }
}

function decodeMessages(raw: unknown): CanonicalMessage[] {
  if (!Array.isArray(raw)) throw invalidRequest('messages: field required (an array of messages)', 'messages');
  if (raw.length === 0) throw invalidRequest('messages: at least one message is required', 'messages');
  const out: CanonicalMessage[] = [];
  const toolNames = new Map<string, string>();
  raw.forEach((item, i) => {
    const path = `messages[${i}]`;
    const msg = requiredObject(item, path);
    const role = msg.role;
    if (msg.content === undefined) throw invalidRequest(`${path}.content: field required`, `${path}.content`);
    switch (role) {
      case 'system':
        out.push({ role: 'system', content: decodeSystemContent(msg.content, `${path}.content`) });
        break;
      case 'assistant':
        out.push({ role: 'assistant', content: decodeContent(msg.content, `${path}.content`, toolNames) });
        break;
      case 'user': {
        const blocks = decodeContent(msg.content, `${path}.content`, toolNames);
        if (blocks.length === 0) out.push({ role: 'user', content: [] });
        else pushUserRuns(out, blocks);
        break;
      }
      default:
        throw invalidRequest(`${path}.role: expected "user" or "assistant"`, `${path}.role`);
    }
  });
  return out;
}

function decodeStop(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string')) {
    throw invalidRequest('stop_sequences: expected an array of strings', 'stop_sequences');
  }
  return raw as string[];
}

export function decodeAnthropicRequest(body: unknown, ctx?: RequestDecodeContext): CanonicalRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object');

  const model = typeof body.model === 'string' && body.model.length > 0 ? body.model : ctx?.model;
  if (model === undefined) throw invalidRequest('model: field required', 'model');

  const maxTokens = optionalInteger(body, 'max_tokens', 'max_tokens');
  if (maxTokens === undefined) throw invalidRequest('max_tokens: field required', 'max_tokens');
  if (maxTokens < 1) throw invalidRequest('max_tokens: must be at least 1', 'max_tokens');

  const messages: CanonicalMessage[] = [];
  if (body.system !== undefined && body.system !== null) {
    const system = decodeSystemContent(body.system, 'system');
    if (system.length > 0) messages.push({ role: 'system', content: system });
  }
  messages.push(...decodeMessages(body.messages));

  const stream = optionalBoolean(body, 'stream', 'stream') ?? ctx?.stream ?? false;
  const req: CanonicalRequest = { model, messages, maxTokens, stream, sourceDialect: 'anthropic' };

  const temperature = optionalNumber(body, 'temperature', 'temperature');
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optionalNumber(body, 'top_p', 'top_p');
  if (topP !== undefined) req.topP = topP;
  const topK = optionalInteger(body, 'top_k', 'top_k');
  if (topK !== undefined) req.topK = topK;
  const stop = decodeStop(body.stop_sequences);
  if (stop !== undefined) req.stop = stop;

  const unknownFields: JsonObject = {};

  if (body.metadata !== undefined && body.metadata !== null) {
    const md = requiredObject(body.metadata, 'metadata');
    const rest: JsonObject = {};
    for (const [key, value] of Object.entries(md)) {
      if (key === 'user_id') {
        if (typeof value === 'string') req.user = value;
        else if (value !== null) throw invalidRequest('metadata.user_id: expected a string', 'metadata.user_id');
      } else {
        rest[key] = value;
      }
    }
    if (Object.keys(rest).length > 0) unknownFields.metadata = rest;
  }

  const { tools, builtinTools } = decodeTools(body.tools);
  if (tools.length > 0) req.tools = tools;
  if (builtinTools.length > 0) req.builtinTools = builtinTools;
  const { toolChoice, parallelToolCalls } = decodeToolChoice(body.tool_choice);
  if (toolChoice) req.toolChoice = toolChoice;
  if (parallelToolCalls !== undefined) req.parallelToolCalls = parallelToolCalls;

  const { reasoning, responseFormat, unknown } = decodeReasoning(body.thinking, body.output_config);
  if (reasoning) req.reasoning = reasoning;
  if (responseFormat) req.responseFormat = responseFormat;
  Object.assign(unknownFields, unknown);

  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_FIELDS.has(key) && value !== undefined) unknownFields[key] = value;
  }
  if (Object.keys(unknownFields).length > 0) req.unknownFields = unknownFields;
  return req;
}

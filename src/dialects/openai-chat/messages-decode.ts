/** OpenAI chat `messages` -> canonical messages. */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  CanonicalMessage,
  ContentBlock,
  ToolCallBlock,
  ToolResultBlock,
} from '../../canonical/types.js';
import { decodeTextContent, decodeUserContent } from './content-decode.js';
import { isObject, str } from './json.js';
import { decodeMessageReasoning, toolCallSignature } from './reasoning.js';

/** What decoding one message needs to know about the ones before it. */
interface History {
  /** tool-call id -> function name (tool results need the name for Gemini). */
  names: Map<string, string>;
  /** Legacy `function_call`s without a result yet, by function name (oldest first). */
  pendingLegacy: Map<string, string[]>;
}

/** Arguments are kept as the raw text; an object (some clients send one) is serialised once. */
function rawArguments(v: unknown, param: string): string {
  if (v === undefined || v === null || v === '') return '{}';
  if (typeof v === 'string') return v;
  if (isObject(v)) return JSON.stringify(v);
  throw invalidRequest(`Invalid '${param}': expected a JSON string.`, param);
}

function decodeToolCalls(raw: unknown, param: string, history: History): ToolCallBlock[] {
  if (!Array.isArray(raw)) throw invalidRequest(`Invalid '${param}': expected an array.`, param);
  return raw.map((call, k) => {
    const p = `${param}[${k}]`;
    if (!isObject(call)) throw invalidRequest(`Invalid '${p}': expected an object.`, p);
    const id = str(call.id);
    if (!id) throw invalidRequest(`Missing required parameter: '${p}.id'.`, `${p}.id`);
    const fn = call.function;
    if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '') {
      throw invalidRequest(`Missing required parameter: '${p}.function.name'.`, `${p}.function.name`);
    }
    // The full id (signature included) stays the id, so tool results still match it.
    const block: ToolCallBlock = {
      type: 'tool_call',
      id,
      name: fn.name,
      arguments: rawArguments(fn.arguments, `${p}.function.arguments`),
    };
    const sig = toolCallSignature(call, id);
    if (sig) block.thoughtSignature = sig;
    history.names.set(id, fn.name);
    return block;
  });
}

function decodeAssistant(m: Record<string, unknown>, i: number, history: History): ContentBlock[] {
  const param = `messages[${i}]`;
  const blocks: ContentBlock[] = [...decodeMessageReasoning(m)];
  const content = m.content;
  if (typeof content === 'string') {
    if (content !== '') blocks.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part, j) => {
      const p = `${param}.content[${j}]`;
      if (!isObject(part)) throw invalidRequest(`Invalid '${p}': expected an object.`, p);
      // A refusal part is kept as text: the canonical history has no refusal block.
      const text = part.type === 'text' ? part.text : part.type === 'refusal' ? part.refusal : undefined;
      if (typeof text !== 'string') {
        throw invalidRequest(`Invalid '${p}': expected a text or refusal part.`, p);
      }
      if (text !== '') blocks.push({ type: 'text', text });
    });
  } else if (content !== undefined && content !== null) {
    throw invalidRequest(`Invalid '${param}.content': expected a string, an array or null.`, `${param}.content`);
  }
  if (typeof m.refusal === 'string' && m.refusal !== '' && !blocks.some((b) => b.type === 'text')) {
    blocks.push({ type: 'text', text: m.refusal });
  }
  if (m.tool_calls !== undefined && m.tool_calls !== null) {
    blocks.push(...decodeToolCalls(m.tool_calls, `${param}.tool_calls`, history));
  }
  const fc = m.function_call;
  if (isObject(fc) && typeof fc.name === 'string') {
    // Legacy function calls have no id: make one, and pair the next `function` message by name.
    const id = `call_fn_${i}`;
    blocks.push({
      type: 'tool_call',
      id,
      name: fc.name,
      arguments: rawArguments(fc.arguments, `${param}.function_call.arguments`),
    });
    history.names.set(id, fc.name);
    const queue = history.pendingLegacy.get(fc.name) ?? [];
    queue.push(id);
    history.pendingLegacy.set(fc.name, queue);
  }
  return blocks;
}

function decodeToolMessage(m: Record<string, unknown>, i: number, history: History): ToolResultBlock {
  const param = `messages[${i}]`;
  const id = str(m.tool_call_id);
  if (!id) throw invalidRequest(`Missing required parameter: '${param}.tool_call_id'.`, `${param}.tool_call_id`);
  const block: ToolResultBlock = {
    type: 'tool_result',
    toolCallId: id,
    content: decodeTextContent(m.content ?? '', `${param}.content`),
  };
  const name = history.names.get(id);
  if (name !== undefined) block.name = name;
  return block;
}

function decodeFunctionMessage(m: Record<string, unknown>, i: number, history: History): ToolResultBlock {
  const param = `messages[${i}]`;
  const name = str(m.name);
  if (!name) throw invalidRequest(`Missing required parameter: '${param}.name'.`, `${param}.name`);
  const id = history.pendingLegacy.get(name)?.shift() ?? `call_fn_${i}`;
  return {
    type: 'tool_result',
    toolCallId: id,
    name,
    content: decodeTextContent(m.content ?? '', `${param}.content`),
  };
}

export function decodeMessages(raw: unknown): CanonicalMessage[] {
  if (raw === undefined || raw === null) {
    throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (!Array.isArray(raw)) throw invalidRequest("Invalid 'messages': expected an array.", 'messages');
  if (raw.length === 0) {
    throw invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  const history: History = { names: new Map(), pendingLegacy: new Map() };
  return raw.map((m, i): CanonicalMessage => {
    const param = `messages[${i}]`;
    if (!isObject(m)) throw invalidRequest(`Invalid '${param}': expected an object.`, param);
    const role = m.role;
    let out: CanonicalMessage;
    switch (role) {
      case 'system':
      case 'developer':
        if (m.content === undefined || m.content === null) {
          throw invalidRequest(`Missing required parameter: '${param}.content'.`, `${param}.content`);
        }
        out = { role, content: decodeTextContent(m.content, `${param}.content`) };
        break;
      case 'user':
        if (m.content === undefined || m.content === null) {
          throw invalidRequest(`Missing required parameter: '${param}.content'.`, `${param}.content`);
        }
        out = { role, content: decodeUserContent(m.content, `${param}.content`) };
        break;
      case 'assistant':
        out = { role, content: decodeAssistant(m, i, history) };
        break;
      case 'tool':
        return { role: 'tool', content: [decodeToolMessage(m, i, history)] };
      case 'function':
        return { role: 'tool', content: [decodeFunctionMessage(m, i, history)] };
      default:
        throw invalidRequest(
          `Invalid '${param}.role': expected one of system, developer, user, assistant, tool, function.`,
          `${param}.role`,
        );
    }
    if (typeof m.name === 'string' && m.name !== '') out.name = m.name;
    else if (m.name !== undefined && m.name !== null && typeof m.name !== 'string') {
      throw invalidRequest(`Invalid '${param}.name': expected a string.`, `${param}.name`);
    }
    return out;
  });
}

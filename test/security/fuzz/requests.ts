/**
 * The fuzz cases: a valid request per route (system prompt, tools, base64 images, a tool call
 * and its result, reasoning fields, stream on or off), aimed at a provider kind by its model,
 * then mutated (mutate.ts). The first request of each provider kind is left as it is.
 */
import { mutate, randFor, type Rand } from './mutate.js';

type Obj = Record<string, unknown>;

/** One model per provider kind, so the body's model aims the request at a kind. */
export const MODELS = {
  'openai-compatible': 'llama-3.1-8b',
  openai: 'gpt-4o-mini',
  'azure-openai': 'gpt-4o',
  anthropic: 'claude-sonnet-4-6',
  gemini: 'gemini-2.5-flash',
} as const;
export type Kind = keyof typeof MODELS;
export const KINDS = Object.keys(MODELS) as Kind[];

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const SCHEMA = { type: 'object', properties: { city: { type: 'string', description: 'City name' }, days: { type: 'integer' } }, required: ['city'] };

function chatBody(model: string, stream: boolean): Obj {
  return {
    model,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    max_tokens: 256,
    temperature: 0.3,
    reasoning_effort: 'low',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":21}' },
      { role: 'user', content: 'Thanks, and tomorrow?' },
    ],
    tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: SCHEMA } }],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    response_format: { type: 'text' },
    user: 'fuzz',
  };
}

function responsesBody(model: string, stream: boolean): Obj {
  return {
    model,
    stream,
    instructions: 'You are terse.',
    max_output_tokens: 256,
    reasoning: { effort: 'low', summary: 'auto' },
    include: ['reasoning.encrypted_content'],
    store: false,
    input: [
      { role: 'developer', content: 'Answer in English.' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this picture, and the weather in Paris?' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' },
        ],
      },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Need the weather.' }], encrypted_content: 'enc-abc' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp_c":21}' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'It is 21 C.', annotations: [] }] },
      { role: 'user', content: [{ type: 'input_text', text: 'And tomorrow?' }] },
    ],
    tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: SCHEMA, strict: false }],
    tool_choice: 'auto',
    text: { format: { type: 'text' } },
  };
}

function messagesBody(model: string, stream: boolean): Obj {
  return {
    model,
    stream,
    max_tokens: 2048,
    system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
    thinking: { type: 'enabled', budget_tokens: 1024 },
    metadata: { user_id: 'fuzz' },
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-abc' },
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '{"temp_c":21}' }] },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ],
    tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: SCHEMA }],
    tool_choice: { type: 'auto' },
  };
}

function countTokensBody(model: string): Obj {
  const b = messagesBody(model, false);
  delete b.stream;
  delete b.max_tokens;
  delete b.metadata;
  return b;
}

function geminiBody(): Obj {
  return {
    systemInstruction: { parts: [{ text: 'You are terse.' }] },
    contents: [
      {
        role: 'user',
        parts: [{ text: 'What is in this picture, and the weather in Paris?' }, { inlineData: { mimeType: 'image/png', data: PNG } }],
      },
      {
        role: 'model',
        parts: [
          { text: 'Need the weather.', thought: true },
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnLWFiYw==' },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 21 } } }, { text: 'And tomorrow?' }] },
    ],
    tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } }] }],
    toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    generationConfig: { maxOutputTokens: 256, temperature: 0.3, thinkingConfig: { includeThoughts: true, thinkingBudget: 512 } },
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
  };
}

function embeddingsBody(model: string): Obj {
  // no `dimensions`: the emulator would build vectors of any size it is given
  return { model, input: ['The food was delicious.', 'And the waiter?'], encoding_format: 'float' };
}

/** The model in a Gemini URL: mostly the provider's, sometimes with `models/` or odd escapes. */
function geminiModel(kind: Kind, r: Rand): string {
  // (an escape that is not UTF-8, e.g. %ED%A0%80, is refused by the router before any route)
  const odd = ['models%2F', '%25', '%25E0%25A4', '%2525', '%F0%9F%98%80', '%25ED%25A0%2580', 'x%00'];
  switch (r.int(20)) {
    case 0:
      return `models%2F${MODELS[kind]}`;
    case 1:
      return `${MODELS[kind]}${r.pick(odd)}`;
    case 2:
      return r.pick(odd);
    default:
      return MODELS[kind];
  }
}

export type Shape = 'openai' | 'anthropic' | 'gemini';
export type StreamEnd = 'chat' | 'responses' | 'anthropic' | 'gemini-sse' | 'gemini-array' | null;

export interface RouteSpec {
  name: string;
  shape: Shape;
  count: number;
  /**
   * A valid request for this provider kind (the model in the body or the path), and how its
   * stream ends when it streams (body-flagged: only when the body says `stream: true`).
   */
  make(kind: Kind, r: Rand, plain: boolean): { path: string; body: Obj; stream: StreamEnd };
  /** the kinds that must answer the unmutated request with 200 */
  serves(kind: Kind): boolean;
}

const anyKind = (): boolean => true;

export const ROUTES: RouteSpec[] = [
  {
    name: 'POST /v1/chat/completions',
    shape: 'openai',
    count: 220,
    make: (kind, r, plain) => {
      const stream = r.chance(0.5);
      // the chat route also reads Claude-style bodies and Gemini-style `input` bodies
      const shape = plain ? -1 : r.int(10);
      const body =
        shape === 0
          ? messagesBody(MODELS[kind], stream)
          : shape === 1
            ? { model: MODELS[kind], stream, input: [{ role: 'user', parts: [{ text: 'Hi' }] }, { role: 'model', content: 'Hello.' }, 'And you?'] }
            : chatBody(MODELS[kind], stream);
      return { path: '/v1/chat/completions', body, stream: 'chat' };
    },
    serves: anyKind,
  },
  {
    name: 'POST /v1/responses',
    shape: 'openai',
    count: 220,
    make: (kind, r) => {
      const stream = r.chance(0.5);
      return { path: '/v1/responses', body: responsesBody(MODELS[kind], stream), stream: 'responses' };
    },
    serves: anyKind,
  },
  {
    name: 'POST /v1/messages',
    shape: 'anthropic',
    count: 220,
    make: (kind, r) => {
      const stream = r.chance(0.5);
      return { path: '/v1/messages', body: messagesBody(MODELS[kind], stream), stream: 'anthropic' };
    },
    serves: anyKind,
  },
  {
    name: 'POST /v1/messages/count_tokens',
    shape: 'anthropic',
    count: 150,
    make: (kind) => ({ path: '/v1/messages/count_tokens', body: countTokensBody(MODELS[kind]), stream: null }),
    serves: anyKind,
  },
  {
    name: 'POST /v1beta/models/{model}:generateContent',
    shape: 'gemini',
    count: 200,
    make: (kind, r, plain) => ({ path: `/v1beta/models/${plain ? MODELS[kind] : geminiModel(kind, r)}:generateContent`, body: geminiBody(), stream: null }),
    serves: anyKind,
  },
  {
    name: 'POST /v1beta/models/{model}:streamGenerateContent',
    shape: 'gemini',
    count: 220,
    make: (kind, r, plain) => {
      // mostly ?alt=sse; some JSON-array streams (never passed through, always re-encoded)
      const sse = r.chance(0.8);
      return {
        path: `/v1beta/models/${plain ? MODELS[kind] : geminiModel(kind, r)}:streamGenerateContent${sse ? '?alt=sse' : ''}`,
        body: geminiBody(),
        stream: sse ? 'gemini-sse' : 'gemini-array',
      };
    },
    serves: anyKind,
  },
  {
    name: 'POST /v1/embeddings',
    shape: 'openai',
    count: 150,
    make: (kind) => ({ path: '/v1/embeddings', body: embeddingsBody(MODELS[kind]), stream: null }),
    serves: (kind) => kind !== 'anthropic' && kind !== 'gemini',
  },
];

export interface Case {
  index: number;
  kind: Kind;
  path: string;
  stream: StreamEnd;
  body: string;
  mutations: string[];
}

export function makeCase(seed: number, routeIndex: number, route: RouteSpec, index: number): Case {
  const r = randFor(seed, routeIndex, index);
  // the first round is unmutated, one per provider kind: the baseline must work
  const plain = index < KINDS.length;
  const kind = plain ? KINDS[index]! : r.pick(KINDS);
  const made = route.make(kind, r, plain);
  const mutations: string[] = [];
  if (!plain) {
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) mutations.push(mutate(made.body, r));
  }
  // a body-flagged stream streams when the (mutated) body says `stream: true`
  const stream = made.stream === null || made.stream.startsWith('gemini') || made.body.stream === true ? made.stream : null;
  let body = JSON.stringify(made.body);
  if (!plain && r.chance(0.1)) {
    // number literals JSON.stringify never writes: out of double range, exponent forms
    const literal = r.pick(['1e400', '-1e400', '1E+2', '-0', '0.0000000000000000000000001', '12345678901234567890123']);
    const numbers = [...body.matchAll(/:(-?\d+(?:\.\d+)?)(?=[,}\]])/g)];
    if (numbers.length > 0) {
      const m = r.pick(numbers);
      body = `${body.slice(0, m.index + 1)}${literal}${body.slice(m.index + m[0].length)}`;
      mutations.push(`literal ${literal}`);
    }
  }
  return { index, kind, path: made.path, stream, body, mutations };
}


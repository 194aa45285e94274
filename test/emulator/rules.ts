/**
 * Scripts and faults: stored in the order added, matched per request (first matching rule with
 * uses left wins), with `times` and `probability`. Rules are checked field by field so a typo in
 * a test fails loudly instead of silently matching nothing.
 */
import { isObject } from './conversation.js';
import type { FaultSpec, ProviderName, RuleHandle, RuleMatch, ScriptReply } from './types.js';

/** What a rule is matched against. */
export interface MatchContext {
  provider: ProviderName;
  model: string | null;
  path: string;
  key: string | null;
  stream: boolean;
}

type Pattern = string | RegExp;

interface StoredRule<T> {
  id: number;
  provider: ProviderName | undefined;
  model: Pattern | undefined;
  path: Pattern | undefined;
  key: string | undefined;
  stream: boolean | undefined;
  remaining: number;
  probability: number;
  spec: T;
}

export class RuleError extends Error {}

function pattern(glob: string | undefined): Pattern | undefined {
  if (glob === undefined || !glob.includes('*')) return glob;
  const source = glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`);
}

function test(p: Pattern | undefined, value: string | null): boolean {
  if (p === undefined) return true;
  if (value === null) return false;
  return typeof p === 'string' ? p === value : p.test(value);
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';

const MATCH_FIELDS: Record<string, Kind> = {
  provider: 'string',
  model: 'string',
  path: 'string',
  key: 'string',
  stream: 'boolean',
  times: 'number',
  probability: 'number',
};

const SCRIPT_FIELDS: Record<string, Kind> = {
  ...MATCH_FIELDS,
  text: 'string',
  toolCalls: 'array',
  reasoning: 'object',
  finishReason: 'string',
  rawFinishReason: 'string',
  usage: 'object',
  chunks: 'number',
  chunkDelayMs: 'number',
};

const FAULT_FIELDS: Record<string, Kind> = {
  ...MATCH_FIELDS,
  status: 'number',
  message: 'string',
  errorType: 'string',
  errorCode: 'string',
  retryAfter: 'number',
  retryAfterMs: 'number',
  headers: 'object',
  latencyMs: 'number',
  chunkDelayMs: 'number',
  inBandError: 'object',
  cutAfterChunks: 'number',
  dropConnection: 'boolean',
  hang: 'boolean',
  hangAfterChunks: 'number',
};

const IN_BAND_FIELDS: Record<string, Kind> = {
  afterChunks: 'number',
  message: 'string',
  type: 'string',
  code: 'string',
  responsesEvent: 'string',
};

const USAGE_FIELDS: Record<string, Kind> = {
  inputTokens: 'number',
  outputTokens: 'number',
  cachedTokens: 'number',
  cacheWriteTokens: 'number',
  reasoningTokens: 'number',
};

const PROVIDERS = new Set(['openai', 'azure', 'anthropic', 'gemini']);
const FINISH = new Set(['stop', 'length', 'tool_calls', 'content_filter']);

function kindOf(v: unknown): Kind | 'other' {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
}

function checkFields(where: string, value: unknown, fields: Record<string, Kind>): void {
  if (!isObject(value)) throw new RuleError(`${where} must be a JSON object`);
  for (const [name, v] of Object.entries(value)) {
    const want = fields[name];
    if (want === undefined) {
      throw new RuleError(`${where}: unknown field "${name}" (known: ${Object.keys(fields).join(', ')})`);
    }
    if (v === undefined) continue;
    const got = kindOf(v);
    // `code` of an in-band error may be a number (Gemini) or a string (OpenAI)
    if (got !== want && !(name === 'code' && got === 'number')) {
      throw new RuleError(`${where}: "${name}" must be a ${want}, got ${got}`);
    }
  }
}

function checkMatch(where: string, r: Record<string, unknown>): void {
  if (r.provider !== undefined && !PROVIDERS.has(r.provider as string)) {
    throw new RuleError(`${where}: provider must be one of ${[...PROVIDERS].join(', ')}`);
  }
  if (r.times !== undefined && (!Number.isInteger(r.times) || (r.times as number) < 1)) {
    throw new RuleError(`${where}: times must be a positive integer`);
  }
  const p = r.probability;
  if (p !== undefined && ((p as number) < 0 || (p as number) > 1)) {
    throw new RuleError(`${where}: probability must be between 0 and 1`);
  }
}

export function checkScriptRule(rule: unknown): void {
  checkFields('script', rule, SCRIPT_FIELDS);
  const r = rule as Record<string, unknown>;
  checkMatch('script', r);
  if (r.finishReason !== undefined && !FINISH.has(r.finishReason as string)) {
    throw new RuleError(`script: finishReason must be one of ${[...FINISH].join(', ')}`);
  }
  if (r.usage !== undefined) checkFields('script.usage', r.usage, USAGE_FIELDS);
  if (r.reasoning !== undefined) {
    checkFields('script.reasoning', r.reasoning, { text: 'string', signature: 'string' });
    if (typeof (r.reasoning as Record<string, unknown>).text !== 'string') {
      throw new RuleError('script.reasoning: "text" is required');
    }
  }
  for (const [i, call] of ((r.toolCalls as unknown[] | undefined) ?? []).entries()) {
    checkFields(`script.toolCalls[${i}]`, call, { name: 'string', arguments: 'object', id: 'string' });
    if (typeof (call as Record<string, unknown>).name !== 'string') {
      throw new RuleError(`script.toolCalls[${i}]: "name" is required`);
    }
  }
}

export function checkFaultRule(rule: unknown): void {
  checkFields('fault', rule, FAULT_FIELDS);
  const r = rule as Record<string, unknown>;
  checkMatch('fault', r);
  if (r.inBandError !== undefined) checkFields('fault.inBandError', r.inBandError, IN_BAND_FIELDS);
  if (r.headers !== undefined) {
    for (const [name, v] of Object.entries(r.headers as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new RuleError(`fault.headers: "${name}" must be a string`);
    }
  }
  const status = r.status as number | undefined;
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    throw new RuleError('fault: status must be an HTTP status code');
  }
}

class RuleList<T> {
  private rules: StoredRule<T>[] = [];

  constructor(
    private readonly random: () => number,
    private readonly nextId: () => number,
  ) {}

  get size(): number {
    return this.rules.length;
  }

  add(rule: RuleMatch & { times?: number; probability?: number }, spec: T): RuleHandle {
    const stored: StoredRule<T> = {
      id: this.nextId(),
      provider: rule.provider,
      model: pattern(rule.model),
      path: pattern(rule.path),
      key: rule.key,
      stream: rule.stream,
      remaining: rule.times ?? Infinity,
      probability: rule.probability ?? 1,
      spec,
    };
    this.rules.push(stored);
    return {
      id: stored.id,
      remaining: () => stored.remaining,
      cancel: () => {
        stored.remaining = 0;
        this.rules = this.rules.filter((r) => r !== stored);
      },
    };
  }

  /** The first matching rule that fires; uses it up once. */
  take(ctx: MatchContext): T | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i];
      if (r === undefined || !matches(r, ctx)) continue;
      if (r.probability < 1 && this.random() >= r.probability) continue;
      r.remaining -= 1;
      if (r.remaining <= 0) this.rules.splice(i, 1);
      return r.spec;
    }
    return undefined;
  }

  clear(): void {
    for (const r of this.rules) r.remaining = 0;
    this.rules = [];
  }
}

function matches<T>(r: StoredRule<T>, ctx: MatchContext): boolean {
  return (
    (r.provider === undefined || r.provider === ctx.provider) &&
    (r.stream === undefined || r.stream === ctx.stream) &&
    (r.key === undefined || r.key === ctx.key) &&
    test(r.model, ctx.model) &&
    test(r.path, ctx.path)
  );
}

/** Strips the match and limit fields, keeping what the rule does. */
function specOf<T extends object>(rule: T & RuleMatch & { times?: number; probability?: number }): T {
  const spec = { ...rule } as Record<string, unknown>;
  for (const name of Object.keys(MATCH_FIELDS)) delete spec[name];
  return spec as T;
}

export class RuleBook {
  private id = 0;
  readonly scripts: RuleList<ScriptReply>;
  readonly faults: RuleList<FaultSpec>;

  constructor(random: () => number) {
    const nextId = (): number => ++this.id;
    this.scripts = new RuleList<ScriptReply>(random, nextId);
    this.faults = new RuleList<FaultSpec>(random, nextId);
  }

  addScript(rule: unknown): RuleHandle {
    checkScriptRule(rule);
    const r = rule as ScriptReply & RuleMatch;
    return this.scripts.add(r, specOf<ScriptReply>(r));
  }

  addFault(rule: unknown): RuleHandle {
    checkFaultRule(rule);
    const r = rule as FaultSpec & RuleMatch;
    return this.faults.add(r, specOf<FaultSpec>(r));
  }

  get empty(): boolean {
    return this.scripts.size === 0 && this.faults.size === 0;
  }

  clear(): void {
    this.scripts.clear();
    this.faults.clear();
  }
}

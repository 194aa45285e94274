/**
 * The fuzz generator's randomness and its structural mutations of a JSON body: a seeded PRNG
 * (mulberry32) per request, values of every JSON type (odd numbers, lone surrogates, very long
 * strings, nested arrays), deletions, duplicated items, unknown keys, odd roles and block types.
 */

import { seededRandom } from '../../emulator/text.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

export class Rand {
  constructor(private readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** A generator per (seed, route, index): one request can be replayed alone. */
export function randFor(seed: number, route: number, index: number): Rand {
  return new Rand(seededRandom((seed ^ Math.imul(route + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0));
}

export const LONE = ['\ud800', '\udfff', 'a\ud83dz', '\u0000', '\u2028\u2029', '\u202e' + 'rtl', '😀'.repeat(3), 'é\u0301', '\ufeff', '\uffff'];
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function', 'model', 'critic', '', 'USER', 'ai', '\ud800', 'toString', '__proto__'];
const TYPES = [
  'text', 'image', 'image_url', 'input_text', 'input_image', 'input_file', 'input_audio', 'output_text', 'refusal', 'file',
  'document', 'tool_use', 'tool_result', 'server_tool_use', 'web_search_tool_result', 'thinking', 'redacted_thinking',
  'function_call', 'function_call_output', 'reasoning', 'message', 'item_reference', 'custom', 'function', 'web_search',
  'computer_use_preview', 'mcp', 'summary_text', 'json_schema', 'json_object', 'base64', 'url', 'auto', 'any', 'none',
  'tool', 'enabled', 'disabled', 'adaptive', 'ephemeral', '', 'OBJECT', 'STRING', 'ARRAY',
];

function randomValue(r: Rand, depth = 0): Json {
  switch (r.int(depth > 1 ? 14 : 17)) {
    case 0: return null;
    case 1: return 0;
    case 2: return r.pick([-1, -2147483649, -1e308, -0.5]);
    case 3: return r.pick([1e308, 2 ** 53 + 1, 4294967296, 1e21, 0.1]);
    case 4: return r.chance(0.5);
    case 5: return '';
    case 6: return r.pick(['x', 'null', '{}', '[]', 'true', '-1', 'data:image/png;base64,', 'data:,', 'https://', '0']);
    case 7: return r.pick(LONE);
    case 8: return 'y'.repeat(r.pick([1000, 20_000, 200_000]));
    case 9: return [];
    case 10: return {};
    case 11: return r.pick(TYPES);
    case 12: return r.pick(ROLES);
    case 13: return [[]];
    case 14: return [randomValue(r, depth + 1), randomValue(r, depth + 1)];
    case 15: return { [r.pick(['type', 'text', 'role', 'content', 'x', 'parts', 'name'])]: randomValue(r, depth + 1) };
    default: return [{ type: r.pick(TYPES), text: r.pick(['hi', '\ud800', '']) }];
  }
}

type Path = Array<string | number>;
interface Slot {
  path: Path;
  value: Json;
}

function slots(value: Json, path: Path = [], out: Slot[] = []): Slot[] {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => slots(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) slots(v, [...path, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Json | undefined {
  let cur: Json = root;
  for (const p of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, Json>)[p] as Json;
  }
  return cur;
}

function setAt(root: Json, path: Path, value: Json): void {
  const parent = parentOf(root, path);
  if (parent === null || typeof parent !== 'object' || path.length === 0) return;
  (parent as Record<string | number, Json>)[path[path.length - 1]!] = value;
}

function deleteAt(root: Json, path: Path): void {
  const parent = parentOf(root, path);
  const last = path[path.length - 1];
  if (parent === null || parent === undefined || typeof parent !== 'object' || last === undefined) return;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else delete (parent as Record<string, Json>)[String(last)];
}

function typeOf(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** One structural mutation, in place; returns what it did (for the failure message). */
export function mutate(root: Obj, r: Rand): string {
  const all = slots(root as Json);
  const inner = all.filter((s) => s.path.length > 0);
  if (inner.length === 0) return 'none';
  const s = r.pick(inner);
  const at = s.path.join('.');
  switch (r.int(12)) {
    case 0:
    case 1: {
      let v = randomValue(r);
      for (let i = 0; i < 4 && typeOf(v) === typeOf(s.value); i++) v = randomValue(r);
      setAt(root as Json, s.path, v);
      return `replace ${at}`;
    }
    case 2:
      deleteAt(root as Json, s.path);
      return `delete ${at}`;
    case 3: {
      const arrays = all.filter((x) => Array.isArray(x.value) && x.value.length > 0);
      if (arrays.length === 0) return 'none';
      const a = r.pick(arrays);
      const list = a.value as Json[];
      const i = r.int(list.length);
      list.splice(i, 0, structuredClone(list[i]!));
      return `duplicate ${a.path.join('.')}[${i}]`;
    }
    case 4: {
      const objects = all.filter((x) => x.value !== null && typeof x.value === 'object' && !Array.isArray(x.value));
      if (objects.length === 0) return 'none';
      const o = r.pick(objects);
      const key = r.pick(['x_unknown', 'type', 'role', 'content', 'text', 'cache_control', 'id', 'name', 'parts', 'thought', '__proto__', 'constructor', '']);
      (o.value as Record<string, Json>)[key] = randomValue(r);
      return `add ${o.path.join('.')}.${key}`;
    }
    case 5: {
      const roles = all.filter((x) => x.path[x.path.length - 1] === 'role');
      if (roles.length === 0) return 'none';
      const x = r.pick(roles);
      setAt(root as Json, x.path, r.pick(ROLES));
      return `role ${x.path.join('.')}`;
    }
    case 6: {
      const types = all.filter((x) => x.path[x.path.length - 1] === 'type' || x.path[x.path.length - 1] === 'mode');
      if (types.length === 0) return 'none';
      const x = r.pick(types);
      setAt(root as Json, x.path, r.pick(TYPES));
      return `type ${x.path.join('.')}`;
    }
    case 7: {
      const strings = all.filter((x) => typeof x.value === 'string' && x.path.length > 0);
      if (strings.length === 0) return 'none';
      const x = r.pick(strings);
      const v = x.value as string;
      const odd = r.pick(LONE);
      setAt(root as Json, x.path, r.chance(0.5) ? odd : v.slice(0, r.int(v.length + 1)) + odd + v.slice(r.int(v.length + 1)));
      return `unicode ${x.path.join('.')}`;
    }
    case 8: {
      const arrays = all.filter((x) => Array.isArray(x.value) && x.path.length > 0);
      if (arrays.length === 0) return 'none';
      const x = r.pick(arrays);
      setAt(root as Json, x.path, []);
      return `empty ${x.path.join('.')}`;
    }
    case 9: {
      // an array where an object belongs, or an object where an array belongs
      const objects = inner.filter((x) => x.value !== null && typeof x.value === 'object');
      if (objects.length === 0) return 'none';
      const x = r.pick(objects);
      const v = Array.isArray(x.value) ? (r.chance(0.5) ? { ...x.value } : x.value[0] ?? {}) : [x.value];
      setAt(root as Json, x.path, v as Json);
      return `rewrap ${x.path.join('.')}`;
    }
    case 10: {
      // a top-level field of another type (model, stream, messages, contents, tools, ...), or an
      // unknown one with an odd name
      const top = Object.keys(root);
      const k = top.length === 0 || r.chance(0.3) ? r.pick(['x_unknown', 'é模', '\ud800', 'a,b%', '', 'k\u0000', 'x'.repeat(10_000)]) : r.pick(top);
      root[k] = randomValue(r);
      return `top ${k.slice(0, 20)}`;
    }
    default: {
      const numbers = all.filter((x) => typeof x.value === 'number' || x.path[x.path.length - 1] === 'max_tokens');
      if (numbers.length === 0) return 'none';
      const x = r.pick(numbers);
      setAt(root as Json, x.path, r.pick([0, -1, 1e308, 2 ** 31, 0.5, -0, 1e-300, 99999999]));
      return `number ${x.path.join('.')}`;
    }
  }
}


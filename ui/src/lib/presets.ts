/** What the "add provider" form asks for, per kind. */
import type { ProviderKind } from '../api/types.js';

export interface KindPreset {
  kind: ProviderKind;
  /** the public endpoint used when the base URL is left empty; null: the URL is required */
  defaultBaseUrl: string | null;
  placeholder: string;
  needsApiVersion: boolean;
  keyRequired: boolean;
  keyPlaceholder: string;
  /** suggested id and name */
  id: string;
  name: string;
  /** monogram shown on the preset card */
  mark: string;
}

export const PRESETS: KindPreset[] = [
  {
    kind: 'openai',
    defaultBaseUrl: 'https://api.openai.com',
    placeholder: 'https://api.openai.com',
    needsApiVersion: false,
    keyRequired: true,
    keyPlaceholder: 'sk-…',
    id: 'openai',
    name: 'OpenAI',
    mark: 'AI',
  },
  {
    kind: 'azure-openai',
    defaultBaseUrl: null,
    placeholder: 'https://my-resource.openai.azure.com',
    needsApiVersion: true,
    keyRequired: true,
    keyPlaceholder: '',
    id: 'azure',
    name: 'Azure OpenAI',
    mark: 'Az',
  },
  {
    kind: 'anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    placeholder: 'https://api.anthropic.com',
    needsApiVersion: false,
    keyRequired: true,
    keyPlaceholder: 'sk-ant-…',
    id: 'anthropic',
    name: 'Anthropic',
    mark: 'An',
  },
  {
    kind: 'gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    placeholder: 'https://generativelanguage.googleapis.com',
    needsApiVersion: false,
    keyRequired: true,
    keyPlaceholder: 'AIza…',
    id: 'gemini',
    name: 'Gemini',
    mark: 'Ge',
  },
  {
    kind: 'openai-compatible',
    defaultBaseUrl: null,
    placeholder: 'http://localhost:11434/v1',
    needsApiVersion: false,
    keyRequired: false,
    keyPlaceholder: '',
    id: 'local',
    name: 'OpenAI-compatible',
    mark: '{ }',
  },
];

export function presetOf(kind: ProviderKind): KindPreset {
  return PRESETS.find((p) => p.kind === kind) ?? PRESETS[PRESETS.length - 1]!;
}

/** "My Provider 2" -> "my-provider-2" (the id rules: lower-case letters, digits, "-" or "_") */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 64);
}

export const SLUG_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** "a, b\nc" -> ["a", "b", "c"] */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))];
}

/** "Header: value" lines -> a record; null when a line cannot be read */
export function parseHeaders(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (!l) continue;
    const i = l.indexOf(':');
    if (i <= 0) return null;
    out[l.slice(0, i).trim()] = l.slice(i + 1).trim();
  }
  return out;
}

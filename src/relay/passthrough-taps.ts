/**
 * What the passthrough path reads from a stream it forwards untouched, per dialect: the usage,
 * whether the stream ended properly, and an in-band error. It looks only at events that carry a
 * marker (a byte search), so a long stream costs one indexOf per chunk and a JSON parse for the
 * one or two events that hold usage. The OpenAI chat usage chunk is dropped when the client did
 * not ask for it (the gateway always asks the upstream for usage).
 */
import type { Dialect, Usage } from '../canonical/types.js';
import {
  mergeUsage,
  usageFromAnthropic,
  usageFromGemini,
  usageFromOpenAiChat,
  usageFromOpenAiResponses,
} from '../usage/extract.js';
import { ByteNeedle } from './byte-needle.js';
import { eventAround, parseEventBytes } from './sse-framer.js';

export interface TapState {
  usage: Usage;
  /** the upstream ended the stream the proper way */
  sawEnd: boolean;
  /** an in-band error the upstream sent */
  error: string | null;
}

export interface PassthroughTap {
  /** Look at a region of whole events; returns what to forward (the region itself when untouched). */
  region(region: Buffer, state: TapState): Buffer;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function json(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
function errorText(v: unknown): string {
  if (isObj(v) && typeof v.message === 'string') return v.message;
  return typeof v === 'string' ? v : 'upstream error';
}

/**
 * A tap that looks only at the events holding one of its markers: a byte search per marker over
 * the region, then the event around each hit (not a split of the whole region). An event whose
 * `look` answers false is dropped from what is forwarded.
 */
function markerTap(needles: ByteNeedle[], look: (ev: Buffer, state: TapState) => boolean): PassthroughTap {
  return {
    region(region, state) {
      // the events holding a marker, in order, each once
      let hits: Array<[number, number]> | null = null;
      for (const n of needles) {
        let at = n.indexIn(region);
        while (at >= 0) {
          const ev = eventAround(region, at);
          hits ??= [];
          if (!hits.some((h) => h[0] === ev[0])) hits.push(ev);
          at = ev[1] < region.length ? n.indexIn(region, ev[1]) : -1;
        }
      }
      if (hits === null) return region;
      if (hits.length > 1) hits.sort((a, b) => a[0] - b[0]);
      let kept: Buffer[] | null = null;
      let from = 0;
      for (const [start, end] of hits) {
        if (look(region.subarray(start, end), state)) continue;
        kept ??= [];
        if (start > from) kept.push(region.subarray(from, start));
        from = end;
      }
      if (kept === null) return region;
      if (from < region.length) kept.push(region.subarray(from));
      return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
    },
  };
}

// Each marker is searched for by a byte that is rare in that dialect's frames: by default its
// rarest letter (`g` occurs in chat chunks only in "usage" and "fingerprint", `D` only in
// [DONE]); a space (once per frame) or another letter where the marker holds no rare one.
const CHAT_MARKERS = [new ByteNeedle('"usage":{'), new ByteNeedle('[DONE]'), new ByteNeedle('data: {"error"', ' ')];
const RESPONSES_MARKERS = [
  new ByteNeedle('response.completed'),
  new ByteNeedle('response.incomplete', 'i'),
  new ByteNeedle('response.failed', 'f'),
  new ByteNeedle('event: error', ' '),
];
const ANTHROPIC_MARKERS = [new ByteNeedle('message_start'), new ByteNeedle('message_delta'), new ByteNeedle('message_stop'), new ByteNeedle('event: error', ' ')];
const GEMINI_MARKERS = [new ByteNeedle('"usageMetadata"'), new ByteNeedle('"finishReason"'), new ByteNeedle('"error"', 'o')];

/** OpenAI chat completions. */
export function openAiChatTap(clientWantsUsage: boolean): PassthroughTap {
  return markerTap(CHAT_MARKERS, (ev, state) => {
    const { data } = parseEventBytes(ev);
    if (data === '[DONE]') {
      state.sawEnd = true;
      return true;
    }
    const o = json(data);
    if (!isObj(o)) return true;
    if (o.error !== undefined) {
      state.error = errorText(o.error);
      return true;
    }
    if (isObj(o.usage)) {
      mergeUsage(state.usage, usageFromOpenAiChat(o.usage));
      const usageOnly = Array.isArray(o.choices) && o.choices.length === 0;
      if (usageOnly && !clientWantsUsage) return false;
    }
    return true;
  });
}

/** OpenAI Responses. */
export function openAiResponsesTap(): PassthroughTap {
  return markerTap(RESPONSES_MARKERS, (ev, state) => {
    const { event, data } = parseEventBytes(ev);
    const o = json(data);
    if (!isObj(o)) return true;
    const type = typeof o.type === 'string' ? o.type : event;
    if (type === 'error') {
      state.error = errorText(o.error ?? o);
      return true;
    }
    if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      const r = isObj(o.response) ? o.response : {};
      if (isObj(r.usage)) mergeUsage(state.usage, usageFromOpenAiResponses(r.usage));
      if (type === 'response.failed') state.error = errorText(r.error);
      else state.sawEnd = true;
    }
    return true;
  });
}

/** Anthropic Messages. */
export function anthropicTap(): PassthroughTap {
  return markerTap(ANTHROPIC_MARKERS, (ev, state) => {
    const { event, data } = parseEventBytes(ev);
    if (event === 'message_stop') {
      state.sawEnd = true;
      return true;
    }
    const o = json(data);
    if (!isObj(o)) return true;
    const type = typeof o.type === 'string' ? o.type : event;
    if (type === 'error') state.error = errorText(o.error);
    else if (type === 'message_start' && isObj(o.message)) mergeUsage(state.usage, usageFromAnthropic(o.message.usage));
    else if (type === 'message_delta') mergeUsage(state.usage, usageFromAnthropic(o.usage));
    else if (type === 'message_stop') state.sawEnd = true;
    return true;
  });
}

/** Gemini (alt=sse): usage is cumulative on every chunk; the last one wins. */
export function geminiTap(): PassthroughTap {
  return markerTap(GEMINI_MARKERS, (ev, state) => {
    const o = json(parseEventBytes(ev).data);
    if (!isObj(o)) return true;
    if (o.error !== undefined) {
      state.error = errorText(o.error);
      return true;
    }
    if (isObj(o.usageMetadata)) mergeUsage(state.usage, usageFromGemini(o.usageMetadata));
    const cands = Array.isArray(o.candidates) ? o.candidates : [];
    if (cands.some((c) => isObj(c) && typeof c.finishReason === 'string' && c.finishReason !== '')) state.sawEnd = true;
    return true;
  });
}

export function tapFor(dialect: Dialect, clientWantsUsage: boolean): PassthroughTap {
  switch (dialect) {
    case 'openai-chat':
      return openAiChatTap(clientWantsUsage);
    case 'openai-responses':
      return openAiResponsesTap();
    case 'anthropic':
      return anthropicTap();
    case 'gemini':
      return geminiTap();
  }
}

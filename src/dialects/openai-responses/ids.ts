import { randomBytes } from 'node:crypto';

/**
 * OpenAI-style object ids: `resp_…`, `msg_…`, `fc_…`, `rs_…` followed by 48 hex digits, the
 * length OpenAI's own ids have.
 */
export type IdPrefix = 'resp' | 'msg' | 'fc' | 'rs';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/** Keeps an upstream id that already has the right prefix, otherwise mints a new one. */
export function idWithPrefix(prefix: IdPrefix, candidate: string | undefined): string {
  return candidate !== undefined && candidate.startsWith(`${prefix}_`) ? candidate : newId(prefix);
}

/**
 * Reasoning item ids we invent carry a mark (`rs_apx…`; OpenAI's are hex after `rs_`). A client
 * may replay such an item; its id names nothing OpenAI stored, so the decoder drops it instead of
 * letting a Responses upstream answer "Item with id 'rs_…' not found".
 */
const MINTED_REASONING = 'rs_apx';

export function newReasoningId(): string {
  return `${MINTED_REASONING}${randomBytes(22).toString('hex')}`;
}

export function isMintedReasoningId(id: string): boolean {
  return id.startsWith(MINTED_REASONING);
}

/**
 * Canonical reasoning config + max tokens -> Anthropic `thinking`, `output_config.effort` and
 * `max_tokens`.
 *
 * max_tokens is required by Anthropic. When the client gave none (OpenAI, Responses and Gemini
 * make it optional) ANTHROPIC_DEFAULT_MAX_TOKENS is sent.
 *
 * Thinking:
 * - an explicit budget -> {type: "enabled", budget_tokens} (raised to Anthropic's minimum 1024);
 * - an effort without a budget (OpenAI reasoning_effort, Responses reasoning.effort, Gemini
 *   thinkingLevel) -> {type: "enabled"} with the budget from EFFORT_BUDGET_TOKENS;
 * - effort none / minimal, a budget of 0, or enabled: false -> no thinking;
 * - from an Anthropic client (same dialect) the request is kept as it was: enabled without a
 *   budget is `adaptive`, effort goes to `output_config.effort`, enabled: false is `disabled`,
 *   includeThoughts is `display`.
 * Thinking tokens count against max_tokens and Anthropic requires max_tokens > budget_tokens, so
 * with a budget, a missing max_tokens (or one not above the budget) becomes
 * budget + ANTHROPIC_DEFAULT_MAX_TOKENS: the answer keeps the default room after the thinking.
 */
import type { CanonicalRequest, ReasoningEffort } from '../../canonical/types.js';
import type { JsonObject } from './wire.js';

/** Sent as max_tokens when the request has none (Anthropic requires the field). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic rejects thinking budgets below this. */
export const ANTHROPIC_MIN_THINKING_BUDGET = 1024;

/** Reasoning effort -> thinking budget, for requests that give an effort but no budget. */
export const EFFORT_BUDGET_TOKENS: Readonly<Record<Exclude<ReasoningEffort, 'none' | 'minimal'>, number>> = {
  low: 1024,
  medium: 4096,
  high: 16384,
  xhigh: 32768,
};

export interface ThinkingPlan {
  thinking?: JsonObject;
  /** output_config.effort (same-dialect requests only) */
  effort?: string;
  maxTokens: number;
  /** thinking will run (enabled or adaptive) */
  active: boolean;
  /** thinking was derived from an effort, not asked for as such */
  derived: boolean;
}

export function planThinking(req: CanonicalRequest): ThinkingPlan {
  const sameDialect = req.sourceDialect === 'anthropic';
  const r = req.reasoning;
  const plan: ThinkingPlan = { maxTokens: req.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS, active: false, derived: false };
  if (!r) return plan;

  if (sameDialect && r.effort !== undefined && r.effort !== 'none' && r.effort !== 'minimal') plan.effort = r.effort;

  const off = r.enabled === false || r.effort === 'none' || r.effort === 'minimal' || r.budgetTokens === 0;
  if (off) {
    if (sameDialect && r.enabled === false) plan.thinking = { type: 'disabled' };
    return plan;
  }

  let budget: number | undefined;
  if (r.budgetTokens !== undefined && r.budgetTokens > 0) {
    budget = Math.max(ANTHROPIC_MIN_THINKING_BUDGET, Math.floor(r.budgetTokens));
    plan.thinking = { type: 'enabled', budget_tokens: budget };
  } else if (sameDialect) {
    if (r.enabled !== true) return plan; // only output_config.effort was given
    plan.thinking = { type: 'adaptive' };
  } else if (r.enabled === true || r.effort !== undefined) {
    const effort = r.effort === undefined || r.effort === 'none' || r.effort === 'minimal' ? 'medium' : r.effort;
    budget = EFFORT_BUDGET_TOKENS[effort];
    plan.thinking = { type: 'enabled', budget_tokens: budget };
    plan.derived = true;
  } else {
    return plan;
  }
  plan.active = true;
  if (sameDialect && r.includeThoughts !== undefined) {
    plan.thinking.display = r.includeThoughts ? 'summarized' : 'omitted';
  }
  if (budget !== undefined && (req.maxTokens === undefined || req.maxTokens <= budget)) {
    plan.maxTokens = budget + ANTHROPIC_DEFAULT_MAX_TOKENS;
  }
  return plan;
}

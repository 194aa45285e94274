/**
 * Routing and provider health (administrators only):
 *   POST /routing/decide               which upstream a request would go to, and why
 *   GET|DELETE /routing/sessions/{id}  a session's stickiness bindings
 *   GET /providers/{id}/health         a live probe, stored
 *   GET /providers/{id}/metrics        the live figures the planner uses
 */
import Type from 'typebox';
import { notFound } from '../../admin/errors.js';
import type { Provider } from '../../providers/types.js';
import { upstreamId } from '../../routing/health.js';
import { healthFactor, type RoutePlan, type ScoredCandidate } from '../../routing/planner.js';
import type { Principal } from '../../server/principal.js';
import type { Gateway } from '../../server/gateway.js';
import type { AdminApp } from './access.js';
import { NoContent } from './schemas/common.js';

const tags = ['Routing'];

const EVERYTHING: Principal = {
  kind: 'admin-token',
  keyId: null,
  userId: null,
  name: 'routing/decide',
  allowedProviders: null,
  allowedModels: null,
  rpmLimit: null,
  tpmLimit: null,
  budgetUsd: null,
  budgetPeriod: null,
};

export const SCORING_FORMULA =
  'score = weight × health × speed; health = max(0.05, (1 − errors/(samples + 5))²) over the rolling window; ' +
  'speed = √((L_best + 250 ms) / (L + 250 ms)) with L the EWMA latency (TTFB for streams) and L_best the best of the tier (1 when unknown). ' +
  'Priority tiers go in order (lower first); within a tier, weighted random by score. Open breakers and keys backing off go last; no usable key: skipped.';

const Open = (description: string) => Type.Object({}, { additionalProperties: true, description });

const iso = (ms: number | null): string | null => (ms === null || ms <= 0 ? null : new Date(ms).toISOString());
const round = (n: number | null, digits = 4): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function presentCandidate(s: ScoredCandidate, rank: number | null, tierTotal: number): Record<string, unknown> {
  return {
    provider: s.candidate.provider.id,
    model: s.candidate.model,
    rank,
    group: s.group,
    reason: s.reason ?? null,
    priority: s.tier,
    weight: s.weight,
    health: round(s.health),
    speed: round(s.speed),
    score: round(s.score),
    share_of_tier: s.group === 'ready' && tierTotal > 0 ? round(s.score / tierTotal) : null,
    trial: s.trial,
    sticky: s.sticky,
    figures: {
      samples: s.figures.samples,
      errors: s.figures.errors,
      error_ratio: round(s.figures.errorRatio),
      latency_ms: round(s.figures.latencyMs, 1),
      ttfb_ms: round(s.figures.ttfbMs, 1),
      latency_used_ms: round(s.latencyMs, 1),
    },
    breaker: { state: s.breaker.state, since: iso(s.breaker.since), until: iso(s.breaker.until), cooldown_ms: s.breaker.cooldownMs, trips: s.breaker.trips },
    keys: { level: s.keys.level, retry_after_ms: s.keys.retryAfterMs ?? null, why: s.keys.why ?? null },
  };
}

function presentPlan(plan: RoutePlan): Record<string, unknown>[] {
  const tierTotals = new Map<number, number>();
  for (const s of plan.order) if (s.group === 'ready') tierTotals.set(s.tier, (tierTotals.get(s.tier) ?? 0) + s.score);
  return [
    ...plan.order.map((s, i) => presentCandidate(s, i + 1, tierTotals.get(s.tier) ?? 0)),
    ...plan.skipped.map((s) => presentCandidate(s, null, 0)),
  ];
}

function providerOf(gw: Gateway, id: string): Provider {
  const p = gw.catalog.snapshot.providers.get(id);
  if (!p) throw notFound(`provider '${id}'`);
  return p;
}

/** The upstreams of a provider worth showing: those with live figures, and those logical models name. */
function upstreamsOf(gw: Gateway, p: Provider): string[] {
  const ids = new Set<string>();
  const prefix = `${p.id}/`;
  for (const id of [...gw.routing.health.watched(), ...gw.routing.breakers.known()]) if (id.startsWith(prefix)) ids.add(id);
  for (const lm of gw.catalog.snapshot.logicalModels.values()) {
    for (const u of lm.upstreams) if (u.providerId === p.id) ids.add(upstreamId(p.id, p.aliases.get(u.model) ?? u.model));
  }
  if (p.probe.model) ids.add(upstreamId(p.id, p.probe.model));
  return [...ids].sort();
}

function presentKeys(gw: Gateway, p: Provider): Record<string, unknown>[] {
  return gw.routing.keys.views(p).map((k) => ({
    id: k.id,
    label: k.label,
    weight: k.weight,
    max_qps: k.maxQps,
    state: k.state,
    backoff_until: iso(k.until),
    consecutive_failures: k.fails,
    reason: k.reason,
  }));
}

export function registerRoutingRoutes(app: AdminApp, gw: Gateway): void {
  app.post(
    '/routing/decide',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Which upstream a request for this model would go to, and why',
        description:
          'Resolves the model as a request would (logical model, "<provider>/<model>", or every provider serving the name), ' +
          'applies the session binding when session_id is given, and returns every candidate in try order with its score and the figures behind it. ' +
          'Nothing is sent upstream. ' +
          SCORING_FORMULA,
        body: Type.Object(
          {
            model: Type.String({ minLength: 1, maxLength: 512 }),
            session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
            stream: Type.Optional(Type.Boolean({ description: 'score with stream figures (time to first content); default false' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Open('{model, resolved_via, logical_model, selected, sticky, formula, candidates: [...]}') },
      },
    },
    async (request) => {
      const { model, session_id: sessionId, stream } = request.body;
      const resolution = await gw.catalog.resolve(model, EVERYTHING);
      const session = sessionId ? await gw.routing.sessions.get(sessionId) : null;
      const input = { candidates: resolution.candidates, stream: stream === true, binding: session?.bindings[resolution.requested] ?? null };
      gw.routing.planner.plan(input); // registers the upstreams so the read below covers them
      await gw.routing.sync.tick();
      const plan = gw.routing.planner.plan(input);
      const first = plan.order[0];
      return {
        model,
        resolved_via: resolution.via,
        logical_model: resolution.logicalModel?.id ?? null,
        on_stream_failure: resolution.logicalModel?.onStreamFailure ?? 'error',
        selected: first ? { provider: first.candidate.provider.id, model: first.candidate.model } : null,
        sticky: plan.sticky
          ? {
              provider: plan.sticky.binding.provider,
              model: plan.sticky.binding.model,
              honoured: plan.sticky.honoured,
              why: plan.sticky.why,
            }
          : null,
        formula: SCORING_FORMULA,
        candidates: presentPlan(plan),
      };
    },
  );

  const SessionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

  app.get(
    '/routing/sessions/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "A session's stickiness bindings (X-Session-Id)",
        description: 'One binding per requested model: the upstream that answers the session, since when, how often, and how many times it moved.',
        params: SessionParams,
        response: { 200: Open('{id, created_at, expires_in_ms, bindings: [...]}') },
      },
    },
    async (request) => {
      const id = request.params.id;
      const rec = await gw.routing.sessions.get(id);
      if (!rec) throw notFound(`session '${id}' (no binding, or it expired)`);
      const ttl = await gw.routing.sessions.ttl(id);
      return {
        id,
        created_at: iso(rec.createdAt),
        expires_in_ms: ttl >= 0 ? ttl : null,
        bindings: Object.entries(rec.bindings).map(([requested, b]) => ({
          model: requested,
          provider: b.provider,
          upstream_model: b.model,
          bound_at: iso(b.boundAt),
          last_used_at: iso(b.lastUsedAt),
          uses: b.uses,
          rebinds: b.rebinds,
          previous: b.previous ? { provider: b.previous.provider, upstream_model: b.previous.model, moved_at: iso(b.previous.at) } : null,
        })),
      };
    },
  );

  app.delete(
    '/routing/sessions/:id',
    {
      config: { access: 'admin' },
      schema: { tags, summary: "Remove a session's bindings (its next request is routed afresh)", params: SessionParams, response: { 204: NoContent } },
    },
    async (request, reply) => {
      if (!(await gw.routing.sessions.delete(request.params.id))) throw notFound(`session '${request.params.id}'`);
      return reply.code(204).send(null);
    },
  );

  const ProviderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

  app.get(
    '/providers/:id/health',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Probe a provider now',
        description:
          'A live, cheap call: the model list, or a one-token completion when the provider has a probe model. ' +
          'Dead keys are probed too and revived when they work again; a success ends the cool-down of open breakers. The result is stored and returned.',
        params: ProviderParams,
        response: { 200: Open('{provider, status, ok, method, model, http_status, latency_ms, error, checked_at, keys, breakers}') },
      },
    },
    async (request) => {
      const p = providerOf(gw, request.params.id);
      const r = await gw.routing.prober.probe(p);
      return {
        provider: p.id,
        status: r.ok ? 'up' : 'down',
        ok: r.ok,
        method: r.method,
        model: r.model,
        http_status: r.status,
        latency_ms: r.latencyMs,
        error: r.error,
        checked_at: iso(r.checkedAt),
        keys: r.keys.map((k) => ({ id: k.id, label: k.label, ok: k.ok, http_status: k.status, error: k.error, revived: k.revived })),
        breakers: upstreamsOf(gw, p).map((id) => ({ model: id.slice(p.id.length + 1), state: gw.routing.breakers.view(id).state })),
      };
    },
  );

  app.get(
    '/providers/:id/metrics',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'The live figures the planner uses for a provider',
        description:
          'Per upstream model: outcomes and error ratio over the rolling window, latency EWMAs, the health factor and the breaker; per key: its state and back-off; and the last probe. ' +
          'Figures are shared by every instance.',
        params: ProviderParams,
        response: { 200: Open('{provider, window_s, upstreams, keys, last_probe}') },
      },
    },
    async (request) => {
      const p = providerOf(gw, request.params.id);
      const ids = upstreamsOf(gw, p);
      for (const id of ids) {
        gw.routing.health.watch(id);
        gw.routing.breakers.watch(id);
      }
      gw.routing.keys.watch(p);
      await gw.routing.sync.tick();
      const probe = await gw.routing.prober.lastResult(p.id);
      return {
        provider: p.id,
        enabled: p.enabled,
        window_s: Math.round(gw.routing.settings.healthWindowMs / 1000),
        upstreams: ids.map((id) => {
          const f = gw.routing.health.figures(id);
          const b = gw.routing.breakers.view(id);
          return {
            model: id.slice(p.id.length + 1),
            samples: f.samples,
            errors: f.errors,
            error_ratio: round(f.errorRatio),
            latency_ms: round(f.latencyMs, 1),
            ttfb_ms: round(f.ttfbMs, 1),
            health: round(healthFactor(f)),
            breaker: { state: b.state, since: iso(b.since), until: iso(b.until), cooldown_ms: b.cooldownMs, trips: b.trips },
          };
        }),
        keys: presentKeys(gw, p),
        last_probe: probe
          ? { ok: probe.ok, method: probe.method, model: probe.model, http_status: probe.status, latency_ms: probe.latencyMs, error: probe.error, checked_at: iso(probe.checkedAt) }
          : null,
      };
    },
  );
}

/**
 * Usage reports for the console, read from the hourly rollups (never the raw logs):
 *   GET /usage             sums grouped by key, user, model, provider and/or day
 *   GET /usage/timeseries  points per hour or day for the charts (requests, errors, tokens, cost, latency)
 *   GET /v1/usage          a client key's own usage, limits and budget (authenticated by the key itself)
 * Administrators see everything; a user sees only their own keys.
 */
import type { FastifyRequest } from 'fastify';
import { badRequest } from '../../admin/errors.js';
import type { Gateway } from '../../server/gateway.js';
import type { RollupFilter, RollupSums, UsageDimension, UsageGroupRow } from '../../store/db/repositories/usage-rollups.js';
import { periodWindow } from '../../usage/budget.js';
import { estimateQuantile, HISTOGRAM_SIZE } from '../../usage/latency-histogram.js';
import { hourOf, HOUR_MS } from '../../usage/rollups.js';
import { bearerSources } from '../inference/handle.js';
import type { AdminApp } from './access.js';
import { iso, parseTime, rowScope } from './usage-scope.js';
import { KeyUsage, Timeseries, TimeseriesQuery, UsageQuery, UsageReport, sumsJson, type UsageRowJson } from './usage-schemas.js';

const tags = ['Usage'];
const DAY_MS = 86_400_000;

function latency(r: RollupSums): { avg: number | null; p50: number | null; p95: number | null; ttfb: number | null } {
  const counts: number[] = [];
  for (let i = 0; i < HISTOGRAM_SIZE; i++) counts.push(r[`lat_h${i}` as keyof RollupSums]);
  return {
    avg: r.latency_count > 0 ? Math.round(r.latency_sum_ms / r.latency_count) : null,
    p50: estimateQuantile(counts, 0.5),
    p95: estimateQuantile(counts, 0.95),
    ttfb: r.ttfb_count > 0 ? Math.round(r.ttfb_sum_ms / r.ttfb_count) : null,
  };
}

const orNull = (v: string | number | undefined): string | null => (v === undefined || v === '' ? null : String(v));

async function names(gw: Gateway, rows: UsageGroupRow[], dims: readonly UsageDimension[]) {
  const keys = new Map<string, { name: string; prefix: string }>();
  const users = new Map<string, string>();
  if (dims.includes('key')) {
    const ids = [...new Set(rows.map((r) => String(r.key ?? '')).filter((v) => v !== ''))];
    if (ids.length > 0) {
      for (const k of await gw.store.db.selectFrom('api_keys').select(['id', 'name', 'prefix']).where('id', 'in', ids).execute()) {
        keys.set(k.id, { name: k.name, prefix: k.prefix });
      }
    }
  }
  if (dims.includes('user')) {
    const ids = [...new Set(rows.map((r) => String(r.user ?? '')).filter((v) => v !== ''))];
    if (ids.length > 0) {
      for (const u of await gw.store.db.selectFrom('users').select(['id', 'username']).where('id', 'in', ids).execute()) users.set(u.id, u.username);
    }
  }
  return { keys, users };
}

function emptySums(): RollupSums {
  const r = {} as Record<string, number>;
  for (const c of [
    'requests', 'errors', 'partial', 'estimated', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens',
    'reasoning_tokens', 'cost_usd', 'latency_sum_ms', 'latency_count', 'ttfb_sum_ms', 'ttfb_count',
  ]) r[c] = 0;
  for (let i = 0; i < HISTOGRAM_SIZE; i++) r[`lat_h${i}`] = 0;
  return r as RollupSums;
}

function addSums(into: RollupSums, r: RollupSums): void {
  for (const k of Object.keys(into) as Array<keyof RollupSums>) into[k] += r[k];
}

async function keySums(gw: Gateway, keyId: string, from: number): Promise<RollupSums> {
  const [row] = await gw.usageRollups.aggregate({ apiKeyId: keyId, from }, []);
  return row ?? emptySums();
}

export function registerUsageRoutes(app: AdminApp, gw: Gateway): void {
  app.get(
    '/usage',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Usage sums (requests, errors, tokens in five buckets, cost), grouped by key, user, model, provider and/or day',
        description: 'Read from hourly rollups: from/to are rounded to the hour. A user sees only their own keys.',
        querystring: UsageQuery,
        response: { 200: UsageReport },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = rowScope(request, q.user_id);
      const now = Date.now();
      const to = parseTime(q.to, 'to') ?? now;
      const from = parseTime(q.from, 'from') ?? to - 30 * DAY_MS;
      if (from >= to) throw badRequest("Invalid query parameters: 'from' must be before 'to'.", 'from');
      const dims = [...new Set((q.group_by ?? 'day').split(','))] as UsageDimension[];
      const filter: RollupFilter = {
        from: hourOf(from),
        to,
        ...(scope.userId !== undefined ? { userId: scope.userId } : {}),
        ...(q.key_id !== undefined ? { apiKeyId: q.key_id } : {}),
        ...(q.model !== undefined ? { model: q.model } : {}),
        ...(q.provider_id !== undefined ? { providerId: q.provider_id } : {}),
      };
      const rows = await gw.usageRollups.aggregate(filter, dims);
      const { keys, users } = await names(gw, rows, dims);
      const totals = emptySums();
      const data = rows.map((r) => {
        addSums(totals, r);
        const out: UsageRowJson = { ...sumsJson(r) };
        if (dims.includes('key')) {
          const id = orNull(r.key);
          const k = id === null ? undefined : keys.get(id);
          out.key_id = id;
          out.key_name = k?.name ?? null;
          out.key_prefix = k?.prefix ?? null;
        }
        if (dims.includes('user')) {
          out.user_id = orNull(r.user);
          out.username = out.user_id === null ? null : (users.get(out.user_id) ?? null);
        }
        if (dims.includes('model')) out.model = orNull(r.model);
        if (dims.includes('provider')) out.provider_id = orNull(r.provider);
        if (dims.includes('day')) out.day = iso(Number(r.day)).slice(0, 10);
        return out;
      });
      return { from: iso(hourOf(from)), to: iso(to), group_by: dims, data, totals: sumsJson(totals) };
    },
  );

  app.get(
    '/usage/timeseries',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Usage over time for the charts: one series per provider or model, a point per hour or day',
        description: 'Points without traffic are present with zeros. Latency percentiles are estimated from a histogram.',
        querystring: TimeseriesQuery,
        response: { 200: Timeseries },
      },
    },
    async (request) => {
      const q = request.query;
      const scope = rowScope(request, q.user_id);
      const range = q.range ?? 'day';
      const step = q.step ?? (range === 'week' ? 'day' : 'hour');
      const stepMs = step === 'day' ? DAY_MS : HOUR_MS;
      const now = Date.now();
      const span = range === 'hour' ? HOUR_MS : range === 'day' ? DAY_MS : 7 * DAY_MS;
      const first = Math.floor((now - span) / stepMs) * stepMs;
      const last = Math.floor(now / stepMs) * stepMs;
      const group = q.group ?? null;
      const rows = await gw.usageRollups.timeseries(
        {
          from: first,
          ...(scope.userId !== undefined ? { userId: scope.userId } : {}),
          ...(q.key_id !== undefined ? { apiKeyId: q.key_id } : {}),
        },
        stepMs,
        group,
      );
      const byGroup = new Map<string | null, Map<number, RollupSums>>();
      for (const r of rows) {
        const g = group === null ? null : r.g === '' ? null : r.g;
        let m = byGroup.get(g);
        if (!m) byGroup.set(g, (m = new Map()));
        const prev = m.get(r.t);
        if (prev) addSums(prev, r);
        else m.set(r.t, { ...r });
      }
      if (byGroup.size === 0) byGroup.set(null, new Map());
      const series = [...byGroup.entries()].map(([g, points]) => {
        const out = [];
        for (let t = first; t <= last; t += stepMs) {
          const r = points.get(t) ?? emptySums();
          const l = latency(r);
          out.push({ t: iso(t), ...sumsJson(r), latency_avg_ms: l.avg, latency_p50_ms: l.p50, latency_p95_ms: l.p95, ttfb_avg_ms: l.ttfb });
        }
        return { group: g, points: out };
      });
      return { range, step, from: iso(first), to: iso(now), group, series };
    },
  );

  app.get(
    '/v1/usage',
    {
      config: { access: 'client-key' },
      schema: {
        tags,
        summary: "A client API key's own usage today and this month, its limits and what is left of its budget",
        description: 'Authenticated by the client key itself ("Authorization: Bearer sk-…").',
        response: { 200: KeyUsage },
      },
    },
    async (request: FastifyRequest) => {
      const p = await gw.auth.authenticate(bearerSources(request));
      if (p.keyId === null) throw badRequest('This shows the usage of one client API key: call it with that key (the ADMIN_API_KEY has no usage of its own).');
      const now = Date.now();
      const [today, month] = await Promise.all([
        keySums(gw, p.keyId, periodWindow('day', now).start),
        keySums(gw, p.keyId, periodWindow('month', now).start),
      ]);
      let budget = null;
      if (p.budgetUsd !== null) {
        const period = p.budgetPeriod ?? 'total';
        const spent = await gw.limits.spend.spent(p.keyId, period);
        budget = { period, spent_usd: Math.round(spent * 1e9) / 1e9, remaining_usd: Math.max(0, Math.round((p.budgetUsd - spent) * 1e9) / 1e9) };
      }
      return {
        key: { id: p.keyId, name: p.name },
        limits: { rpm: p.rpmLimit, tpm: p.tpmLimit, budget_usd: p.budgetUsd, budget_period: p.budgetPeriod },
        budget,
        today: sumsJson(today),
        this_month: sumsJson(month),
      };
    },
  );
}

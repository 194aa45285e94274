/** Overview: traffic, errors, latency, tokens and cost over time; providers' health at a glance. */
import { useMemo } from 'react';
import type { Api } from '../api/endpoints.js';
import type { Provider, ProviderMetrics, Range, RequestLog, Timeseries } from '../api/types.js';
import { Link, useLocation, useQueryUpdater } from '../app/router.js';
import { useSession } from '../app/session.js';
import { BarList, PALETTE, Sparkline, TimeChart, type ChartSeries } from '../charts/TimeChart.js';
import { Badge, Card, EmptyState, ErrorNote, Loading, PageHeader, Segmented, Stat, Button } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { summarize } from '../lib/health.js';
import { useLoad } from '../lib/hooks.js';
import { SetupChecklist } from './SetupChecklist.js';
import { FIVE_MIN, bucketLogs, combined, logPercentiles, totalsOf, weightedLatency } from '../lib/series.js';

const RANGES: Range[] = ['hour', 'day', 'week'];
const MAX_LOG_PAGES = 4;

interface UsageData {
  total: Timeseries;
  grouped: Timeseries;
  /** exact figures from the log (the last hour) */
  exact: { p50: number | null; p95: number | null; ttfb: number | null } | null;
  source: 'logs' | 'rollups';
}

async function loadUsage(api: Api, range: Range, by: 'provider' | 'model', signal: AbortSignal): Promise<UsageData> {
  if (range === 'hour') {
    const to = Date.now();
    const from = to - 3_600_000;
    const rows: RequestLog[] = [];
    let cursor: string | undefined;
    let complete = false;
    for (let i = 0; i < MAX_LOG_PAGES; i++) {
      const page = await api.requestLogs({ from: new Date(from).toISOString(), limit: 500, ...(cursor ? { cursor } : {}) }, signal);
      rows.push(...page.data);
      if (!page.next_cursor) {
        complete = true;
        break;
      }
      cursor = page.next_cursor;
    }
    if (complete) {
      return {
        total: bucketLogs(rows, from, to, FIVE_MIN, null),
        grouped: bucketLogs(rows, from, to, FIVE_MIN, by),
        exact: logPercentiles(rows),
        source: 'logs',
      };
    }
  }
  const [total, grouped] = await Promise.all([api.timeseries({ range }, signal), api.timeseries({ range, group: by }, signal)]);
  return { total, grouped, exact: null, source: 'rollups' };
}

async function loadHealth(api: Api, signal: AbortSignal): Promise<Array<{ p: Provider; m: ProviderMetrics | undefined }>> {
  const { data } = await api.listProviders();
  const metrics = await Promise.all(data.map((p) => api.providerMetrics(p.id, signal).catch(() => undefined)));
  return data.map((p, i) => ({ p, m: metrics[i] }));
}

export function OverviewPage() {
  const { t, f } = useI18n();
  const { api, isAdmin } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const range = (RANGES as string[]).includes(query.get('range') ?? '') ? (query.get('range') as Range) : 'day';
  const by = query.get('by') === 'model' ? 'model' : 'provider';

  const usage = useLoad((signal) => loadUsage(api, range, by, signal), [api, range, by], { pollMs: 15_000 });
  const health = useLoad((signal) => loadHealth(api, signal), [api], { pollMs: 15_000, enabled: isAdmin });

  const d = usage.data;
  const points = useMemo(() => combined(d?.total), [d]);
  const totals = useMemo(() => totalsOf(d?.total), [d]);
  const x = useMemo(() => points.map((p) => new Date(p.t)), [points]);
  const xFormat = (dt: Date) => (range === 'week' ? f.shortDate(dt) : f.time(dt));
  const xTitle = (dt: Date) => (range === 'week' ? f.shortDate(dt) : `${f.shortDate(dt)} ${f.time(dt)}`);

  // one colour per provider (or model) in every chart: ordered by requests, busiest first
  const groups = useMemo(
    () =>
      (d?.grouped.series ?? [])
        .map((s) => ({ s, total: s.points.reduce((a, p) => a + p.requests, 0) }))
        .sort((a, b) => b.total - a.total)
        .map(({ s }, i) => ({ s, color: PALETTE[i % PALETTE.length]! })),
    [d],
  );
  const groupSeries = (pick: (p: Timeseries['series'][number]['points'][number]) => number): ChartSeries[] =>
    groups.map(({ s, color }) => ({
      key: s.group ?? '∅',
      label: s.group ?? t('overview.none'),
      color,
      values: s.points.map(pick),
    }));

  const p50 = d?.exact ? { value: d.exact.p50, exact: true } : weightedLatency(points, (p) => p.latency_p50_ms);
  const p95 = d?.exact ? { value: d.exact.p95, exact: true } : weightedLatency(points, (p) => p.latency_p95_ms);
  const ttft = d?.exact ? { value: d.exact.ttfb, exact: true } : weightedLatency(points, (p) => p.ttfb_avg_ms);
  const errorRate = totals.requests > 0 ? totals.errors / totals.requests : null;
  const approx = (v: { value: number | null; exact: boolean }) => (v.value === null ? '—' : `${v.exact ? '' : '≈ '}${f.ms(v.value)}`);
  const noTraffic = d !== undefined && totals.requests === 0;
  const emptyNote = noTraffic ? <span>{t('overview.noTraffic')}</span> : undefined;

  const rangeLabel = t(`overview.range.${range}`);
  const top = useMemo(
    () =>
      groups
        .map(({ s, color }) => ({
          key: s.group ?? '∅',
          label: s.group ?? t('overview.none'),
          value: s.points.reduce((a, p) => a + p.requests, 0),
          cost: s.points.reduce((a, p) => a + p.cost_usd, 0),
          color,
        }))
        .filter((x) => x.value > 0)
        .slice(0, 8),
    [groups, t],
  );

  return (
    <div className="page">
      <PageHeader
        title={t('overview.title')}
        description={t('overview.desc')}
        actions={
          <Segmented
            label={t('overview.rangeLabel')}
            value={range}
            onChange={(v) => update({ range: v === 'day' ? null : v })}
            options={RANGES.map((r) => ({ value: r, label: t(`overview.range.${r}`) }))}
          />
        }
      />
      {isAdmin ? <SetupChecklist providers={health.data?.length} /> : null}
      {usage.error ? <ErrorNote error={usage.error} onRetry={usage.reload} /> : null}
      {usage.loading ? (
        <Loading />
      ) : (
        <>
          <div className="stats">
            <Stat label={t('overview.requests')} value={f.int(totals.requests)} note={rangeLabel}>
              <Sparkline values={points.map((p) => p.requests)} />
            </Stat>
            <Stat
              label={t('overview.errorRate')}
              value={f.percent(errorRate)}
              note={t('overview.errorsCount', { n: f.int(totals.errors) })}
              tone={errorRate !== null && errorRate > 0.05 ? 'danger' : undefined}
            >
              <Sparkline values={points.map((p) => (p.requests > 0 ? p.errors / p.requests : null))} color="var(--danger)" />
            </Stat>
            <Stat label={t('overview.latency')} value={approx(p50)} note={t('overview.p95', { v: approx(p95) })}>
              <Sparkline values={points.map((p) => p.latency_p50_ms)} color="var(--chart-2)" />
            </Stat>
            <Stat label={t('overview.ttft')} value={approx(ttft)} note={t('overview.ttftNote')}>
              <Sparkline values={points.map((p) => p.ttfb_avg_ms)} color="var(--chart-5)" />
            </Stat>
            <Stat label={t('overview.tokens')} value={f.compact(totals.total_tokens)} note={t('overview.tokensNote', { i: f.compact(totals.input_tokens + totals.cache_read_tokens + totals.cache_write_tokens), o: f.compact(totals.output_tokens + totals.reasoning_tokens) })}>
              <Sparkline values={points.map((p) => p.total_tokens)} color="var(--chart-3)" />
            </Stat>
            <Stat label={t('overview.cost')} value={f.usd(totals.cost_usd)} note={rangeLabel}>
              <Sparkline values={points.map((p) => p.cost_usd)} color="var(--chart-4)" />
            </Stat>
          </div>

          <Card
            title={t('overview.requestsOverTime')}
            subtitle={d?.source === 'logs' ? t('overview.fiveMinute') : range === 'week' ? t('overview.perDay') : t('overview.perHour')}
            actions={
              <Segmented
                label={t('overview.breakdown')}
                value={by}
                onChange={(v) => update({ by: v === 'provider' ? null : v })}
                options={[
                  { value: 'provider', label: t('overview.byProvider') },
                  { value: 'model', label: t('overview.byModel') },
                ]}
              />
            }
          >
            <TimeChart
              label={t('overview.requestsOverTime')}
              kind="stacked"
              height={240}
              x={x}
              series={groupSeries((p) => p.requests)}
              integer
              legend
              yFormat={(n) => f.compact(n)}
              xFormat={xFormat}
              xTitle={xTitle}
              empty={emptyNote}
            />
          </Card>

          <div className="grid-2">
            <Card title={t('overview.errorRate')} subtitle={t('overview.errorRateSub')}>
              <TimeChart
                label={t('overview.errorRate')}
                kind="area"
                height={200}
                x={x}
                series={[
                  {
                    key: 'err',
                    label: t('overview.errorRate'),
                    color: 'var(--danger)',
                    values: points.map((p) => (p.requests > 0 ? p.errors / p.requests : null)),
                  },
                ]}
                yFormat={(n) => f.percent(n, 0)}
                xFormat={xFormat}
                xTitle={xTitle}
                empty={emptyNote}
              />
            </Card>
            <Card title={t('overview.latencyChart')} subtitle={t('overview.latencySub')}>
              <TimeChart
                label={t('overview.latencyChart')}
                kind="line"
                height={200}
                x={x}
                series={[
                  { key: 'p50', label: 'p50', color: 'var(--chart-1)', values: points.map((p) => p.latency_p50_ms) },
                  { key: 'p95', label: 'p95', color: 'var(--chart-4)', values: points.map((p) => p.latency_p95_ms) },
                  { key: 'ttft', label: t('overview.ttftShort'), color: 'var(--chart-2)', dashed: true, values: points.map((p) => p.ttfb_avg_ms) },
                ]}
                yFormat={(n) => f.ms(n)}
                xFormat={xFormat}
                xTitle={xTitle}
                empty={emptyNote}
              />
            </Card>
            <Card title={t('overview.tokensChart')} subtitle={t('overview.tokensSub')}>
              <TimeChart
                label={t('overview.tokensChart')}
                kind="stacked"
                height={200}
                x={x}
                series={[
                  { key: 'in', label: t('usage.input'), color: 'var(--chart-1)', values: points.map((p) => p.input_tokens) },
                  { key: 'cache', label: t('usage.cached'), color: 'var(--chart-6)', values: points.map((p) => p.cache_read_tokens + p.cache_write_tokens) },
                  { key: 'out', label: t('usage.output'), color: 'var(--chart-3)', values: points.map((p) => p.output_tokens) },
                  { key: 'reason', label: t('usage.reasoning'), color: 'var(--chart-5)', values: points.map((p) => p.reasoning_tokens) },
                ]}
                integer
                yFormat={(n) => f.compact(n)}
                xFormat={xFormat}
                xTitle={xTitle}
                empty={emptyNote}
              />
            </Card>
            <Card title={t('overview.costChart')} subtitle={by === 'provider' ? t('overview.byProvider') : t('overview.byModel')}>
              <TimeChart
                label={t('overview.costChart')}
                kind="stacked"
                height={200}
                x={x}
                series={groupSeries((p) => p.cost_usd)}
                legend
                yFormat={(n) => f.usd(n)}
                xFormat={xFormat}
                xTitle={xTitle}
                empty={noTraffic ? emptyNote : totals.cost_usd === 0 ? <span>{t('overview.noCost')}</span> : undefined}
              />
            </Card>
          </div>

          <div className="grid-2">
            <Card title={by === 'provider' ? t('overview.topProviders') : t('overview.topModels')} subtitle={rangeLabel}>
              {top.length === 0 ? (
                <p className="muted">{t('overview.noTraffic')}</p>
              ) : (
                <BarList
                  label={by === 'provider' ? t('overview.topProviders') : t('overview.topModels')}
                  items={top.map((x) => ({ key: x.key, label: x.label, value: x.value, note: f.usd(x.cost), color: x.color }))}
                  format={(n) => t('overview.nRequests', { n: f.int(n) })}
                />
              )}
            </Card>
            {isAdmin ? (
              <Card
                title={t('overview.health')}
                subtitle={t('overview.healthSub')}
                actions={
                  <Link to="/providers" className="btn btn-ghost btn-sm">
                    <span>{t('overview.allProviders')}</span>
                  </Link>
                }
              >
                {health.error ? <ErrorNote error={health.error} onRetry={health.reload} compact /> : null}
                {health.loading ? (
                  <Loading />
                ) : (health.data ?? []).length === 0 ? (
                  <EmptyState icon="providers" title={t('providers.emptyTitle')} action={<Link to="/providers?add=1" className="btn btn-primary btn-sm"><span>{t('providers.add')}</span></Link>}>
                    {t('providers.emptyText')}
                  </EmptyState>
                ) : (
                  <ul className="health-list">
                    {(health.data ?? []).map(({ p, m }) => {
                      const h = summarize(p, m);
                      return (
                        <li key={p.id}>
                          <Link to={`/providers/${encodeURIComponent(p.id)}`} className="health-item">
                            <span className={`dot dot-${h.tone}`} aria-hidden="true" />
                            <span className="health-name">
                              <strong>{p.name}</strong>
                              <span className="muted small">{t(`kind.${p.kind}`)}</span>
                            </span>
                            <span className="health-figs small muted">
                              {h.samples > 0 ? t('overview.healthFigs', { n: f.int(h.samples), e: f.percent(h.samples ? h.errors / h.samples : 0), l: f.ms(h.latencyMs ?? h.ttfbMs) }) : null}
                            </span>
                            <Badge tone={h.tone}>{t(h.label)}</Badge>
                          </Link>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </Card>
            ) : (
              <Card title={t('overview.getStarted')}>
                <p className="muted">{t('overview.userHint')}</p>
                <div className="row gap">
                  <Link to="/keys" className="btn btn-primary btn-sm">
                    <span>{t('nav.keys')}</span>
                  </Link>
                  <Link to="/playground" className="btn btn-secondary btn-sm">
                    <span>{t('nav.playground')}</span>
                  </Link>
                </div>
              </Card>
            )}
          </div>
          {usage.refreshing && !usage.loading ? <span className="sr-only">{t('common.loading')}</span> : null}
          <div className="row end">
            <Button size="sm" variant="ghost" icon="refresh" busy={usage.refreshing} onClick={usage.reload}>
              {t('common.refresh')}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

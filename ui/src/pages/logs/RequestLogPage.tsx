/** The request log: filters in the address (shareable), newest first, one request in detail. */
import { useEffect, useState } from 'react';
import type { RequestLog, RequestLogFilter } from '../../api/types.js';
import { Link, href, navigate, useLocation, useQueryUpdater } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { Icon } from '../../components/icons.js';
import { Badge, Button, EmptyState, ErrorNote, Input, Loading, PageHeader, Select, Switch } from '../../components/ui.js';
import { statusTone } from '../../lib/status.js';
import { useI18n } from '../../i18n/index.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { RequestDetail } from './RequestDetail.js';

const PERIODS = ['15m', '1h', '24h', '7d', '30d', 'all'] as const;
type Period = (typeof PERIODS)[number];
const PERIOD_MS: Record<Period, number> = { '15m': 900_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000, '30d': 2_592_000_000, all: 0 };

function filterOf(q: URLSearchParams): RequestLogFilter & { period: Period } {
  const period = (PERIODS as readonly string[]).includes(q.get('period') ?? '') ? (q.get('period') as Period) : '24h';
  const status = q.get('status') ?? '';
  const f: RequestLogFilter & { period: Period } = { period, limit: 50 };
  if (period !== 'all') f.from = new Date(Date.now() - PERIOD_MS[period]).toISOString();
  for (const k of ['key_id', 'model', 'provider_id'] as const) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  if (status === 'ok' || status === 'error') f.outcome = status;
  else if (/^\d{3}$/.test(status)) f.status = Number(status);
  return f;
}

export function RequestLogPage({ openId }: { openId: string | null }) {
  const { t, f } = useI18n();
  const { api, isAdmin, info } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const filter = filterOf(query);
  const { period, ...apiFilter } = filter;
  const filterKey = JSON.stringify({ ...apiFilter, from: period });
  const [live, setLive] = useState(true);
  const [more, setMore] = useState<{ rows: RequestLog[]; cursor: string | null } | null>(null);
  const page = useLoad((signal) => api.requestLogs(apiFilter, signal), [api, filterKey], { pollMs: live && !more ? 5_000 : undefined });
  useEffect(() => setMore(null), [filterKey]);
  const loadMore = useAction(async () => {
    const cursor = more ? more.cursor : (page.data?.next_cursor ?? null);
    if (!cursor) return;
    const next = await api.requestLogs({ ...apiFilter, cursor });
    setMore({ rows: [...(more?.rows ?? []), ...next.data], cursor: next.next_cursor });
  });
  const choices = useLoad(
    async () => {
      const me = info?.user?.id ?? null;
      const [keys, providers] = await Promise.all([
        api.listApiKeys({ userId: me, all: isAdmin }, true).catch(() => null),
        isAdmin ? api.listProviders().catch(() => null) : Promise.resolve(null),
      ]);
      return { keys: keys?.data ?? [], providers: providers?.data ?? [] };
    },
    [api, isAdmin, info],
  );
  const keyName = (id: string | null) => (id ? (choices.data?.keys.find((k) => k.id === id)?.name ?? id.slice(0, 8)) : null);
  const rows = [...(page.data?.data ?? []), ...(more?.rows ?? [])];
  const hasMore = more ? more.cursor !== null : page.data?.next_cursor != null;
  const filtered = ['key_id', 'model', 'provider_id', 'status'].some((k) => query.get(k)) || period !== '24h';
  const [modelText, setModelText] = useState(query.get('model') ?? '');
  const [statusText, setStatusText] = useState(/^\d{3}$/.test(query.get('status') ?? '') ? (query.get('status') ?? '') : '');
  const qModel = query.get('model') ?? '';
  useEffect(() => setModelText(qModel), [qModel]);

  const statusSel = query.get('status') === 'ok' || query.get('status') === 'error' ? (query.get('status') as string) : /^\d{3}$/.test(query.get('status') ?? '') ? 'code' : '';

  return (
    <div className="page">
      <PageHeader
        title={t('logs.title')}
        description={t('logs.desc')}
        actions={
          <span className="row gap center small">
            <Switch checked={live} onChange={setLive} label={t('logs.live')} />
            <span>{t('logs.live')}</span>
            {page.refreshing ? <span className="spinner" aria-hidden="true" /> : null}
          </span>
        }
      />
      <form
        className="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          update({ model: modelText.trim() || null, ...(statusSel === 'code' ? { status: statusText.trim() || null } : {}) });
        }}
        aria-label={t('logs.filters')}
      >
        <div className="filter">
          <label htmlFor="lf-period">{t('logs.period')}</label>
          <Select id="lf-period" value={period} onChange={(e) => update({ period: e.target.value === '24h' ? null : e.target.value })}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`logs.period.${p}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="filter">
          <label htmlFor="lf-key">{t('logs.key')}</label>
          <Select id="lf-key" value={query.get('key_id') ?? ''} onChange={(e) => update({ key_id: e.target.value || null })}>
            <option value="">{t('logs.anyKey')}</option>
            {(choices.data?.keys ?? []).map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} ({k.prefix}…)
              </option>
            ))}
          </Select>
        </div>
        <div className="filter">
          <label htmlFor="lf-model">{t('logs.model')}</label>
          <Input id="lf-model" value={modelText} onChange={(e) => setModelText(e.target.value)} onBlur={() => update({ model: modelText.trim() || null })} placeholder={t('logs.anyModel')} spellCheck={false} />
        </div>
        {isAdmin ? (
          <div className="filter">
            <label htmlFor="lf-provider">{t('logs.provider')}</label>
            <Select id="lf-provider" value={query.get('provider_id') ?? ''} onChange={(e) => update({ provider_id: e.target.value || null })}>
              <option value="">{t('logs.anyProvider')}</option>
              {(choices.data?.providers ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        <div className="filter">
          <label htmlFor="lf-status">{t('logs.status')}</label>
          <Select
            id="lf-status"
            value={statusSel}
            onChange={(e) => {
              const v = e.target.value;
              if (v === 'code') update({ status: statusText || '429' });
              else update({ status: v || null });
              if (v === 'code' && !statusText) setStatusText('429');
            }}
          >
            <option value="">{t('logs.anyStatus')}</option>
            <option value="ok">{t('logs.ok')}</option>
            <option value="error">{t('logs.failed')}</option>
            <option value="code">{t('logs.exactCode')}</option>
          </Select>
        </div>
        {statusSel === 'code' ? (
          <div className="filter narrow">
            <label htmlFor="lf-code">{t('logs.code')}</label>
            <Input id="lf-code" value={statusText} onChange={(e) => setStatusText(e.target.value)} onBlur={() => /^\d{3}$/.test(statusText) && update({ status: statusText })} inputMode="numeric" maxLength={3} />
          </div>
        ) : null}
        <div className="filter end">
          <Button type="submit" variant="secondary" icon="filter">
            {t('logs.apply')}
          </Button>
          {filtered ? (
            <Button
              variant="ghost"
              onClick={() => {
                setModelText('');
                setStatusText('');
                navigate('/logs', { replace: true });
              }}
            >
              {t('logs.clear')}
            </Button>
          ) : null}
        </div>
      </form>
      {page.error ? <ErrorNote error={page.error} onRetry={page.reload} /> : null}
      {page.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <div className="card">
          <EmptyState
            icon="logs"
            title={filtered ? t('logs.noMatch') : t('logs.emptyTitle')}
            action={
              filtered ? undefined : (
                <Link to="/playground" className="btn btn-primary">
                  <span>{t('logs.tryPlayground')}</span>
                </Link>
              )
            }
          >
            {filtered ? t('logs.noMatchText') : t('logs.emptyText')}
          </EmptyState>
        </div>
      ) : (
        <div className="card card-flush">
          <div className="table-wrap">
            <table className="table table-logs">
              <thead>
                <tr>
                  <th scope="col">{t('logs.time')}</th>
                  <th scope="col">{t('logs.status')}</th>
                  <th scope="col">{t('logs.model')}</th>
                  <th scope="col" className="hide-sm">
                    {t('logs.provider')}
                  </th>
                  <th scope="col" className="hide-md">
                    {t('logs.key')}
                  </th>
                  <th scope="col" className="num">
                    {t('logs.latency')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('logs.tokens')}
                  </th>
                  <th scope="col" className="num hide-md">
                    {t('logs.cost')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className={`clickable ${openId === r.id ? 'row-selected' : ''}`} onClick={() => navigate(href(`/logs/${encodeURIComponent(r.id)}`, Object.fromEntries(query)))}>
                    <td className="nowrap">
                      <a href={href(`/logs/${encodeURIComponent(r.id)}`, Object.fromEntries(query))} onClick={(e) => e.stopPropagation()} className="strong-link">
                        {new Date(r.ts).toDateString() === new Date().toDateString() ? f.time(r.ts) : `${f.shortDate(r.ts)} ${f.time(r.ts)}`}
                      </a>
                      <div className="small muted hide-sm">{f.relative(r.ts)}</div>
                    </td>
                    <td>
                      <Badge tone={statusTone(r.status)}>{r.status}</Badge>
                      {r.partial ? <Badge tone="warning">{t('logs.partial')}</Badge> : null}
                      {r.attempts > 1 ? <div className="small muted">{t('logs.attemptsN', { n: r.attempts })}</div> : null}
                    </td>
                    <td>
                      <span className="mono">{r.model ?? '—'}</span>
                      {r.provider_id ? <div className="small muted show-sm">{r.provider_id}</div> : null}
                      <div className="small muted hide-sm">
                        {r.stream ? (
                          <>
                            <Icon name="bolt" /> {t('logs.stream')}
                          </>
                        ) : (
                          r.route
                        )}
                      </div>
                    </td>
                    <td className="hide-sm">
                      {r.provider_id ?? <span className="muted">—</span>}
                      {r.upstream_model ? <div className="small muted mono">{r.upstream_model}</div> : null}
                    </td>
                    <td className="hide-md small">{keyName(r.api_key_id) ?? <span className="muted">—</span>}</td>
                    <td className="num">
                      {f.ms(r.latency_ms)}
                      {r.ttfb_ms !== null ? <div className="small muted">{t('providers.ttfbShort', { v: f.ms(r.ttfb_ms) })}</div> : null}
                    </td>
                    <td className="num hide-sm">
                      {f.compact(r.usage.input_tokens + r.usage.cache_read_tokens + r.usage.cache_write_tokens)} → {f.compact(r.usage.output_tokens + r.usage.reasoning_tokens)}
                    </td>
                    <td className="num hide-md">{r.cost_usd === null ? '—' : f.usd(r.cost_usd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-foot">
            <span className="muted small">{t('logs.shown', { n: rows.length })}</span>
            {hasMore ? (
              <Button size="sm" busy={loadMore.busy} onClick={() => void loadMore.run()}>
                {t('logs.more')}
              </Button>
            ) : null}
          </div>
          {loadMore.error ? <ErrorNote error={loadMore.error} compact /> : null}
        </div>
      )}
      {openId ? <RequestDetail id={openId} keyName={keyName} onClose={() => navigate(href('/logs', Object.fromEntries(query)))} /> : null}
    </div>
  );
}

/** One provider: live figures, health probe, keys, models, settings. */
import { useState } from 'react';
import type { HealthCheck, Provider } from '../../api/types.js';
import { Link, navigate, useLocation, useQueryUpdater } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { ConfirmDialog } from '../../components/dialog.js';
import { Badge, Button, Card, EmptyState, ErrorNote, KeyValues, Loading, PageHeader, Switch, Tabs } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/index.js';
import { BREAKER_TONE, summarize } from '../../lib/health.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { presetOf } from '../../lib/presets.js';
import { ProviderKeys } from './ProviderKeys.js';
import { ProviderModels } from './ProviderModels.js';
import { ProviderFormFields, buildBody, draftOf, type DraftProblems, type ProviderDraft } from './ProviderForm.js';
import { HealthResult } from './ProvidersPage.js';

type Tab = 'overview' | 'keys' | 'models' | 'settings';

function Settings({ provider, onSaved }: { provider: Provider; onSaved(p: Provider): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const [draft, setDraft] = useState<ProviderDraft>(() => draftOf(provider));
  const [problems, setProblems] = useState<DraftProblems>({});
  const save = useAction(async () => {
    const { problems: pr, body } = buildBody(draft, false, t);
    setProblems(pr);
    if (Object.keys(pr).length > 0) return;
    const p = await api.updateProvider(provider.id, body);
    onSaved(p);
    setDraft(draftOf(p));
    toast(t('common.saved'));
  });
  return (
    <Card title={t('providers.settings')} subtitle={provider.source === 'config' ? t('providers.fromConfig') : undefined}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
        className="stack"
      >
        <ProviderFormFields draft={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} creating={false} problems={problems} serverError={save.error} />
        {save.error ? <ErrorNote error={save.error} compact /> : null}
        <div className="row end gap">
          <Button onClick={() => setDraft(draftOf(provider))} disabled={save.busy}>
            {t('common.reset')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function ProviderDetailPage({ id }: { id: string }) {
  const { t, f } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const tab = (['overview', 'keys', 'models', 'settings'] as Tab[]).includes(query.get('tab') as Tab) ? (query.get('tab') as Tab) : 'overview';
  const provider = useLoad(() => api.getProvider(id), [api, id]);
  const metrics = useLoad((signal) => api.providerMetrics(id, signal), [api, id], { pollMs: 5_000, enabled: provider.data !== undefined });
  const [check, setCheck] = useState<HealthCheck | null>(null);
  const probe = useAction(async () => {
    setCheck(await api.providerHealth(id));
    metrics.reload();
  });
  const toggle = useAction(async (enabled: boolean) => {
    const p = await api.updateProvider(id, { enabled });
    provider.setData(() => p);
    toast(enabled ? t('providers.enabledToast', { name: p.name }) : t('providers.disabledToast', { name: p.name }));
  });
  const [deleting, setDeleting] = useState(false);
  const del = useAction(async (force: boolean) => {
    await api.deleteProvider(id, force);
    toast(t('providers.deletedToast', { name: provider.data?.name ?? id }));
    navigate('/providers');
  });

  if (provider.error?.status === 404) {
    return (
      <div className="page">
        <EmptyState icon="providers" title={t('providers.notFound', { id })} action={<Link to="/providers">{t('providers.back')}</Link>} />
      </div>
    );
  }
  if (!provider.data) return <div className="page">{provider.error ? <ErrorNote error={provider.error} onRetry={provider.reload} /> : <Loading />}</div>;
  const p = provider.data;
  const m = metrics.data;
  const h = summarize(p, m);

  return (
    <div className="page">
      <nav className="crumbs" aria-label={t('common.breadcrumb')}>
        <Link to="/providers">{t('nav.providers')}</Link>
        <span aria-hidden="true">/</span>
        <span>{p.name}</span>
      </nav>
      <PageHeader
        title={p.name}
        description={
          <span className="row gap center wrap">
            <span className={`kind-mark kind-${p.kind} small`} aria-hidden="true">
              {presetOf(p.kind).mark}
            </span>
            <span>{t(`kind.${p.kind}`)}</span>
            <span className="mono muted">{p.base_url}</span>
            <Badge tone={h.tone} dot>
              {t(h.label)}
            </Badge>
          </span>
        }
        actions={
          <>
            <span className="row gap center">
              <Switch checked={p.enabled} onChange={(v) => void toggle.run(v)} label={p.enabled ? t('providers.enabledLabel') : t('providers.disabledLabel')} disabled={toggle.busy} />
              <span className="small">{p.enabled ? t('providers.enabledLabel') : t('providers.disabledLabel')}</span>
            </span>
            <Button icon="pulse" busy={probe.busy} onClick={() => void probe.run()}>
              {t('providers.runProbe')}
            </Button>
            <Button variant="danger" icon="trash" onClick={() => setDeleting(true)}>
              {t('common.delete')}
            </Button>
          </>
        }
      />
      {toggle.error ? <ErrorNote error={toggle.error} /> : null}
      {probe.busy ? (
        <div className="loading">
          <span className="spinner" /> {t('providers.checking')}
        </div>
      ) : null}
      {probe.error ? <ErrorNote error={probe.error} /> : null}
      {check ? <HealthResult result={check} /> : null}

      <Tabs
        label={t('providers.sections')}
        value={tab}
        onChange={(v) => update({ tab: v === 'overview' ? null : v })}
        tabs={[
          { value: 'overview', label: t('providers.tab.overview') },
          { value: 'keys', label: `${t('providers.tab.keys')} (${p.key_count})` },
          { value: 'models', label: t('providers.tab.models') },
          { value: 'settings', label: t('providers.tab.settings') },
        ]}
      />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'overview' ? (
          <div className="stack">
            <div className="grid-2">
              <Card title={t('providers.live')} subtitle={t('providers.liveSub', { s: m?.window_s ?? 60 })}>
                <KeyValues
                  items={[
                    [t('providers.col.health'), <Badge tone={h.tone}>{t(h.label)}</Badge>],
                    [t('providers.col.traffic'), h.samples > 0 ? `${t('providers.samples', { n: f.int(h.samples) })} · ${t('providers.errorsPct', { p: f.percent(h.errors / h.samples) })}` : t('providers.noSamples', { s: m?.window_s ?? 60 })],
                    [t('providers.col.latency'), f.ms(h.latencyMs)],
                    [t('overview.ttft'), f.ms(h.ttfbMs)],
                    [t('providers.col.keys'), t('providers.keysCount', { a: p.active_key_count, n: p.key_count })],
                    [t('providers.col.routing'), t('providers.weightPriority', { w: p.weight, p: p.priority })],
                  ]}
                />
              </Card>
              <Card title={t('providers.lastProbe')}>
                {m?.last_probe ? (
                  <KeyValues
                    items={[
                      [t('providers.result'), <Badge tone={m.last_probe.ok ? 'success' : 'danger'}>{m.last_probe.ok ? t('providers.probeOk') : t('providers.probeFailed')}</Badge>],
                      [t('providers.checkedAt'), f.relative(m.last_probe.checked_at)],
                      [t('providers.method'), m.last_probe.method === 'models' ? t('providers.probeByModels') : t('providers.probeByCompletion', { model: m.last_probe.model ?? '' })],
                      [t('providers.col.latency'), f.ms(m.last_probe.latency_ms)],
                      m.last_probe.error ? [t('common.error'), <span className="mono small wrap">{m.last_probe.error}</span>] : null,
                    ]}
                  />
                ) : (
                  <div className="stack">
                    <p className="muted">{t('providers.neverProbed')}</p>
                    <div>
                      <Button icon="pulse" busy={probe.busy} onClick={() => void probe.run()}>
                        {t('providers.runProbe')}
                      </Button>
                    </div>
                  </div>
                )}
              </Card>
            </div>
            <Card title={t('providers.upstreams')} subtitle={t('providers.upstreamsSub')}>
              {metrics.error ? <ErrorNote error={metrics.error} compact /> : null}
              {(m?.upstreams ?? []).length === 0 ? (
                <p className="muted">{t('providers.noUpstreams')}</p>
              ) : (
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th scope="col">{t('providers.col.model')}</th>
                        <th scope="col">{t('providers.col.breaker')}</th>
                        <th scope="col" className="num">
                          {t('providers.col.samples')}
                        </th>
                        <th scope="col" className="num">
                          {t('providers.col.errorRatio')}
                        </th>
                        <th scope="col" className="num">
                          {t('providers.col.latency')}
                        </th>
                        <th scope="col" className="num">
                          {t('overview.ttftShort')}
                        </th>
                        <th scope="col" className="num">
                          {t('providers.col.healthFactor')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {(m?.upstreams ?? []).map((u) => (
                        <tr key={u.model}>
                          <td className="mono">{u.model}</td>
                          <td>
                            <Badge tone={BREAKER_TONE[u.breaker.state] ?? 'neutral'}>{t(`breaker.${u.breaker.state === 'open' ? 'open' : u.breaker.state === 'closed' ? 'closed' : 'halfOpen'}`)}</Badge>
                            {u.breaker.state === 'open' && u.breaker.until ? <div className="muted small">{t('providers.retryAt', { at: f.relative(u.breaker.until) })}</div> : null}
                          </td>
                          <td className="num">{f.int(u.samples)}</td>
                          <td className={`num ${u.error_ratio > 0.1 ? 'text-danger' : ''}`}>{f.percent(u.error_ratio)}</td>
                          <td className="num">{f.ms(u.latency_ms)}</td>
                          <td className="num">{f.ms(u.ttfb_ms)}</td>
                          <td className="num">
                            <span className="meter" aria-hidden="true">
                              <span style={{ width: `${Math.round(u.health * 100)}%` }} />
                            </span>{' '}
                            {u.health.toFixed(2)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Card>
          </div>
        ) : tab === 'keys' ? (
          <ProviderKeys provider={p} liveKeys={m?.keys ?? []} onChanged={() => provider.reload()} />
        ) : tab === 'models' ? (
          <ProviderModels provider={p} />
        ) : (
          <Settings provider={p} onSaved={(np) => provider.setData(() => np)} />
        )}
      </div>

      <ConfirmDialog
        open={deleting}
        title={t('providers.deleteTitle', { name: p.name })}
        confirmLabel={del.error?.status === 409 ? t('providers.deleteForce') : t('common.delete')}
        busy={del.busy}
        onClose={() => {
          setDeleting(false);
          del.clearError();
        }}
        onConfirm={() => void del.run(del.error?.status === 409)}
        error={del.error ? <ErrorNote error={del.error} compact /> : null}
      >
        {t('providers.deleteText')}
      </ConfirmDialog>
    </div>
  );
}

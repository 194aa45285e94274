/** Providers: the list with health, breakers and live figures; adding one from a preset. */
import { useState } from 'react';
import type { HealthCheck, Provider, ProviderMetrics } from '../../api/types.js';
import { Link, navigate, useLocation, useQueryUpdater } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { Dialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { Badge, Button, EmptyState, ErrorNote, Loading, PageHeader } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/index.js';
import { summarize } from '../../lib/health.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { presetOf } from '../../lib/presets.js';
import { ProviderFormFields, buildBody, newDraft, type DraftProblems, type ProviderDraft } from './ProviderForm.js';

export function HealthResult({ result }: { result: HealthCheck }) {
  const { t, f } = useI18n();
  return (
    <div className={`note ${result.ok ? 'note-success' : 'note-danger'}`} role="status">
      <Icon name={result.ok ? 'check' : 'alert'} />
      <div>
        <strong>{result.ok ? t('providers.probeOk') : t('providers.probeFailed')}</strong>{' '}
        {t('providers.probeDetail', {
          method: result.method === 'models' ? t('providers.probeByModels') : t('providers.probeByCompletion', { model: result.model ?? '' }),
          ms: f.ms(result.latency_ms),
          status: result.http_status ?? '—',
        })}
        {result.error ? <div className="mono small wrap">{result.error}</div> : null}
        {result.keys.length > 1 || result.keys.some((k) => !k.ok) ? (
          <ul className="plain small">
            {result.keys.map((k) => (
              <li key={k.id}>
                <Badge tone={k.ok ? 'success' : 'danger'}>{k.label}</Badge> {k.ok ? t('providers.keyOk') : (k.error ?? `HTTP ${k.http_status ?? '—'}`)}
                {k.revived ? ` · ${t('providers.keyRevived')}` : ''}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function AddProviderDialog({ open, onClose, taken, onCreated }: { open: boolean; onClose(): void; taken: string[]; onCreated(p: Provider): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const [draft, setDraft] = useState<ProviderDraft>(() => newDraft('openai', taken));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [created, setCreated] = useState<Provider | null>(null);
  const [check, setCheck] = useState<HealthCheck | null>(null);
  const set = (patch: Partial<ProviderDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const probe = useAction(async (id: string) => setCheck(await api.providerHealth(id)));
  const save = useAction(async () => {
    const { problems: pr, body } = buildBody(draft, true, t);
    setProblems(pr);
    if (Object.keys(pr).length > 0) return;
    const p = await api.createProvider({
      ...body,
      id: draft.id,
      kind: draft.kind,
      ...(draft.key.trim() ? { keys: [{ key: draft.key.trim() }] } : {}),
    });
    setCreated(p);
    onCreated(p);
    void probe.run(p.id);
  });
  const close = () => {
    onClose();
    setCreated(null);
    setCheck(null);
    setProblems({});
    save.clearError();
    setDraft(newDraft('openai', taken));
  };

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        title={t('providers.addedTitle', { name: created.name })}
        footer={
          <>
            <Button onClick={close}>{t('common.done')}</Button>
            <Button variant="primary" onClick={() => navigate(`/providers/${encodeURIComponent(created.id)}`)}>
              {t('providers.open')}
            </Button>
          </>
        }
      >
        <div className="stack">
          <p>{t('providers.addedText', { id: created.id })}</p>
          {probe.busy ? (
            <div className="loading">
              <span className="spinner" /> {t('providers.checking')}
            </div>
          ) : null}
          {check ? <HealthResult result={check} /> : null}
          {probe.error ? <ErrorNote error={probe.error} compact /> : null}
          <p className="muted small">{t('providers.nextStep')}</p>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      wide
      title={t('providers.addTitle')}
      description={t('providers.addDesc')}
      busy={save.busy}
      onSubmit={() => void save.run()}
      footer={
        <>
          <Button onClick={close} disabled={save.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {t('providers.addSubmit')}
          </Button>
        </>
      }
    >
      <ProviderFormFields draft={draft} set={set} creating problems={problems} serverError={save.error} />
      {save.error && !['id', 'name', 'base_url', 'api_version', 'weight', 'priority', 'models', 'headers', 'keys'].some((k) => save.error?.param?.startsWith(k)) ? (
        <ErrorNote error={save.error} compact />
      ) : null}
      {save.error && save.error.param === 'base_url' && /private|SSRF|loopback|internal/i.test(save.error.message) ? (
        <p className="hint">{t('providers.privateHint')}</p>
      ) : null}
    </Dialog>
  );
}

export function ProvidersPage() {
  const { t, f } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const list = useLoad(
    async (signal) => {
      const { data } = await api.listProviders();
      const metrics = await Promise.all(data.map((p) => api.providerMetrics(p.id, signal).catch(() => undefined)));
      return data.map((p, i) => ({ p, m: metrics[i] as ProviderMetrics | undefined }));
    },
    [api],
    { pollMs: 10_000 },
  );
  const adding = query.get('add') === '1';
  const toggle = useAction(async (p: Provider) => {
    const next = await api.updateProvider(p.id, { enabled: !p.enabled });
    list.setData((rows) => rows?.map((r) => (r.p.id === p.id ? { ...r, p: next } : r)));
    toast(next.enabled ? t('providers.enabledToast', { name: next.name }) : t('providers.disabledToast', { name: next.name }));
  });

  const rows = list.data ?? [];
  return (
    <div className="page">
      <PageHeader
        title={t('providers.title')}
        description={t('providers.desc')}
        actions={
          <Button variant="primary" icon="plus" onClick={() => update({ add: '1' })}>
            {t('providers.add')}
          </Button>
        }
      />
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {toggle.error ? <ErrorNote error={toggle.error} /> : null}
      {list.loading ? (
        <Loading />
      ) : rows.length === 0 && !list.error ? (
        <div className="card">
          <EmptyState
            icon="providers"
            title={t('providers.emptyTitle')}
            action={
              <Button variant="primary" icon="plus" onClick={() => update({ add: '1' })}>
                {t('providers.add')}
              </Button>
            }
          >
            {t('providers.emptyText')}
          </EmptyState>
        </div>
      ) : (
        <div className="card card-flush">
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('providers.col.provider')}</th>
                  <th scope="col">{t('providers.col.health')}</th>
                  <th scope="col" className="hide-sm">
                    {t('providers.col.breakers')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('providers.col.traffic')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('providers.col.latency')}
                  </th>
                  <th scope="col" className="hide-md">
                    {t('providers.col.keys')}
                  </th>
                  <th scope="col" className="hide-md num">
                    {t('providers.col.routing')}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ p, m }) => {
                  const h = summarize(p, m);
                  return (
                    <tr key={p.id} className={p.enabled ? '' : 'row-muted'}>
                      <td>
                        <div className="cell-main">
                          <span className={`kind-mark kind-${p.kind} small`} aria-hidden="true">
                            {presetOf(p.kind).mark}
                          </span>
                          <div>
                            <Link to={`/providers/${encodeURIComponent(p.id)}`} className="strong-link">
                              {p.name}
                            </Link>
                            <div className="muted small mono truncate" title={p.base_url}>
                              {p.id} · {t(`kind.${p.kind}`)}
                            </div>
                          </div>
                        </div>
                      </td>
                      <td>
                        <Badge tone={h.tone} dot>
                          {t(h.label)}
                        </Badge>
                      </td>
                      <td className="hide-sm">
                        {h.upstreams === 0 ? (
                          <span className="muted">—</span>
                        ) : h.openBreakers > 0 ? (
                          <Badge tone="danger">{t('providers.breakersOpen', { n: h.openBreakers, of: h.upstreams })}</Badge>
                        ) : (
                          <span className="muted small">{t('providers.breakersClosed', { n: h.upstreams })}</span>
                        )}
                      </td>
                      <td className="num hide-sm">
                        {h.samples > 0 ? (
                          <>
                            <div>{t('providers.samples', { n: f.int(h.samples) })}</div>
                            <div className={`small ${h.errors > 0 ? 'text-danger' : 'muted'}`}>{t('providers.errorsPct', { p: f.percent(h.errors / h.samples) })}</div>
                          </>
                        ) : (
                          <span className="muted small">{t('providers.idle')}</span>
                        )}
                      </td>
                      <td className="num hide-sm">
                        <div>{f.ms(h.latencyMs)}</div>
                        {h.ttfbMs !== null ? <div className="muted small">{t('providers.ttfbShort', { v: f.ms(h.ttfbMs) })}</div> : null}
                      </td>
                      <td className="hide-md nowrap">
                        <span className={p.active_key_count === 0 && p.kind !== 'openai-compatible' ? 'text-warning' : ''}>
                          {t('providers.keysCount', { a: p.active_key_count, n: p.key_count })}
                        </span>
                      </td>
                      <td className="hide-md num small">
                        {t('providers.weightPriority', { w: p.weight, p: p.priority })}
                      </td>
                      <td className="actions">
                        <Button size="sm" variant="ghost" busy={toggle.busy} onClick={() => void toggle.run(p)}>
                          {p.enabled ? t('providers.disable') : t('providers.enable')}
                        </Button>
                        <Link to={`/providers/${encodeURIComponent(p.id)}`} className="btn btn-secondary btn-sm">
                          <span>{t('common.open')}</span>
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <AddProviderDialog
        open={adding}
        onClose={() => update({ add: null })}
        taken={rows.map((r) => r.p.id)}
        onCreated={(p) => {
          list.reload();
          toast(t('providers.createdToast', { name: p.name }));
        }}
      />
    </div>
  );
}

/** One logical model: edit its upstreams, and see what the router would choose right now and why. */
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.js';
import type { Decision, LogicalModel } from '../../api/types.js';
import { Link, navigate } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { ConfirmDialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { Badge, Button, Card, EmptyState, ErrorNote, Loading, PageHeader, Switch, fieldError, type Tone } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/index.js';
import { BREAKER_TONE } from '../../lib/health.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { ModelFields, modelBody, validateDraft, type ModelDraft } from './LogicalModelsPage.js';
import { upstreamDraft, type UpstreamProblems } from './UpstreamEditor.js';

function draftOf(m: LogicalModel): ModelDraft {
  return {
    id: m.id,
    description: m.description ?? '',
    on_stream_failure: m.on_stream_failure,
    enabled: m.enabled,
    upstreams: m.upstreams.map((u) => upstreamDraft(u.provider_id, u.model, u.weight, u.priority)),
  };
}

const GROUP_TONE: Record<string, Tone> = { ready: 'success', trial: 'info', backoff: 'warning', open: 'danger', skipped: 'neutral' };

export function RoutingPreview({ model, version }: { model: string; version: number }) {
  const { t, f } = useI18n();
  const { api } = useSession();
  const [stream, setStream] = useState(false);
  const decision = useLoad<Decision>(() => api.decide(model, stream), [api, model, stream, version], { pollMs: 10_000 });
  const d = decision.data;
  return (
    <Card
      title={t('routing.title')}
      subtitle={t('routing.sub')}
      actions={
        <>
          <span className="row gap center small">
            <Switch checked={stream} onChange={setStream} label={t('routing.stream')} />
            <span>{t('routing.stream')}</span>
          </span>
          <Button size="sm" icon="refresh" busy={decision.refreshing} onClick={decision.reload}>
            {t('common.refresh')}
          </Button>
        </>
      }
    >
      {decision.error ? <ErrorNote error={decision.error} onRetry={decision.reload} compact /> : null}
      {decision.loading ? (
        <Loading />
      ) : d ? (
        <div className="stack">
          <div className={`decision ${d.selected ? '' : 'none'}`}>
            <Icon name="route" />
            {d.selected ? (
              <div>
                <div className="muted small">{t('routing.wouldGo')}</div>
                <div className="decision-target">
                  <strong>{d.selected.provider}</strong> · <span className="mono">{d.selected.model}</span>
                </div>
              </div>
            ) : (
              <div>
                <strong>{t('routing.noCandidate')}</strong>
              </div>
            )}
          </div>
          {d.sticky ? (
            <p className="small muted">
              {t('routing.sticky', { provider: d.sticky.provider, model: d.sticky.model })} {d.sticky.why}
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">{t('routing.upstream')}</th>
                  <th scope="col">{t('routing.state')}</th>
                  <th scope="col" className="num">
                    {t('models.priority')}
                  </th>
                  <th scope="col" className="num">
                    {t('models.weight')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('routing.health')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('routing.speed')}
                  </th>
                  <th scope="col">{t('routing.share')}</th>
                  <th scope="col" className="num hide-sm">
                    {t('routing.figures')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.candidates.map((c) => (
                  <tr key={`${c.provider}/${c.model}`} className={c.rank === 1 ? 'row-selected' : c.rank === null ? 'row-muted' : ''}>
                    <td className="num">{c.rank ?? '—'}</td>
                    <td>
                      <Link to={`/providers/${encodeURIComponent(c.provider)}`}>{c.provider}</Link>
                      <div className="mono small muted">{c.model}</div>
                    </td>
                    <td>
                      <Badge tone={GROUP_TONE[c.group] ?? 'neutral'}>{c.group}</Badge>{' '}
                      {c.breaker.state !== 'closed' ? <Badge tone={BREAKER_TONE[c.breaker.state] ?? 'neutral'}>{t('routing.breaker', { s: c.breaker.state })}</Badge> : null}
                      {c.sticky ? <Badge tone="accent">{t('routing.stickyBadge')}</Badge> : null}
                      {c.reason ? <div className="small muted wrap">{c.reason}</div> : null}
                      {c.keys.level !== 'ready' && c.keys.why ? <div className="small text-warning wrap">{c.keys.why}</div> : null}
                    </td>
                    <td className="num">{c.priority}</td>
                    <td className="num">{c.weight}</td>
                    <td className="num hide-sm">{c.health === null ? '—' : c.health.toFixed(2)}</td>
                    <td className="num hide-sm">{c.speed === null ? '—' : c.speed.toFixed(2)}</td>
                    <td>
                      {c.share_of_tier !== null ? (
                        <span className="share">
                          <span className="meter" aria-hidden="true">
                            <span style={{ width: `${Math.round(c.share_of_tier * 100)}%` }} />
                          </span>
                          {f.percent(c.share_of_tier, 0)}
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="num hide-sm small">
                      {c.figures.samples > 0 ? (
                        <>
                          <div>{t('routing.samplesErrors', { n: c.figures.samples, e: c.figures.errors })}</div>
                          <div className="muted">{f.ms(c.figures.latency_used_ms)}</div>
                        </>
                      ) : (
                        <span className="muted">{t('routing.noFigures')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details className="formula">
            <summary>{t('routing.how')}</summary>
            <p className="small">{d.formula}</p>
          </details>
        </div>
      ) : null}
    </Card>
  );
}

export function LogicalModelDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const data = useLoad(async () => {
    const [model, providers] = await Promise.all([
      api.getLogicalModel(id).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return undefined;
        throw err;
      }),
      api.listProviders(),
    ]);
    return { model, providers: providers.data };
  }, [api, id]);
  const [draft, setDraft] = useState<ModelDraft | null>(null);
  const [problems, setProblems] = useState<{ up: UpstreamProblems }>({ up: {} });
  const [version, setVersion] = useState(0);
  const [deleting, setDeleting] = useState(false);
  const model = data.data?.model;
  useEffect(() => {
    if (model) setDraft(draftOf(model));
  }, [model]);
  const save = useAction(async () => {
    if (!draft) return;
    const pr = validateDraft(draft, false, t);
    setProblems(pr);
    if (Object.keys(pr.up).length) return;
    const m = await api.updateLogicalModel(id, modelBody(draft));
    data.setData((d) => (d ? { ...d, model: m } : d));
    setVersion((v) => v + 1);
    toast(t('common.saved'));
  });
  const toggle = useAction(async (enabled: boolean) => {
    const m = await api.updateLogicalModel(id, { enabled });
    data.setData((d) => (d ? { ...d, model: m } : d));
    setVersion((v) => v + 1);
  });
  const del = useAction(async () => {
    await api.deleteLogicalModel(id);
    toast(t('models.deletedToast', { id }));
    navigate('/models');
  });

  if (data.loading || (model && !draft)) return <div className="page">{data.error ? <ErrorNote error={data.error} onRetry={data.reload} /> : <Loading />}</div>;
  if (!model || !draft) {
    return (
      <div className="page">
        {data.error ? <ErrorNote error={data.error} onRetry={data.reload} /> : <EmptyState icon="models" title={t('models.notFound', { id })} action={<Link to="/models">{t('models.back')}</Link>} />}
      </div>
    );
  }
  const dirty = JSON.stringify(modelBody(draft)) !== JSON.stringify(modelBody(draftOf(model)));

  return (
    <div className="page">
      <nav className="crumbs" aria-label={t('common.breadcrumb')}>
        <Link to="/models">{t('nav.models')}</Link>
        <span aria-hidden="true">/</span>
        <span className="mono">{model.id}</span>
      </nav>
      <PageHeader
        title={model.id}
        description={t('models.detailDesc', { id: model.id })}
        actions={
          <>
            <span className="row gap center">
              <Switch checked={model.enabled} onChange={(v) => void toggle.run(v)} label={model.enabled ? t('common.enabled') : t('common.disabled')} disabled={toggle.busy} />
              <span className="small">{model.enabled ? t('common.enabled') : t('common.disabled')}</span>
            </span>
            <Link to={`/playground?model=${encodeURIComponent(model.id)}`} className="btn btn-secondary">
              <span>{t('models.tryIt')}</span>
            </Link>
            <Button variant="danger" icon="trash" onClick={() => setDeleting(true)}>
              {t('common.delete')}
            </Button>
          </>
        }
      />
      {toggle.error ? <ErrorNote error={toggle.error} /> : null}
      {model.source === 'config' ? <div className="note note-info">{t('models.fromConfig')}</div> : null}
      <div className="stack">
        <Card title={t('models.settings')}>
          <form
            noValidate
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void save.run();
            }}
          >
            <ModelFields
              draft={draft}
              set={(patch) => setDraft((d) => (d ? { ...d, ...patch } : d))}
              creating={false}
              providers={data.data?.providers ?? []}
              problems={{}}
              upstreamProblems={problems.up}
              serverError={save.error}
            />
            {save.error && !fieldError(save.error, 'description', 'upstreams') ? <ErrorNote error={save.error} compact /> : null}
            <div className="row end gap">
              {dirty ? <span className="muted small">{t('common.unsaved')}</span> : null}
              <Button onClick={() => setDraft(draftOf(model))} disabled={!dirty || save.busy}>
                {t('common.reset')}
              </Button>
              <Button type="submit" variant="primary" busy={save.busy} disabled={!dirty}>
                {t('common.save')}
              </Button>
            </div>
          </form>
        </Card>
        <RoutingPreview model={model.id} version={version} />
      </div>
      <ConfirmDialog
        open={deleting}
        title={t('models.deleteTitle', { id: model.id })}
        confirmLabel={t('common.delete')}
        busy={del.busy}
        onClose={() => setDeleting(false)}
        onConfirm={() => void del.run()}
        error={del.error ? <ErrorNote error={del.error} compact /> : null}
      >
        {t('models.deleteText')}
      </ConfirmDialog>
    </div>
  );
}

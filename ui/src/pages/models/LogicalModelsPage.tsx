/** Logical models: names clients ask for, each routed over upstreams by priority and weight. */
import { useState } from 'react';
import type { ApiError } from '../../api/client.js';
import type { LogicalModel, LogicalModelFields, OnStreamFailure, Provider } from '../../api/types.js';
import { Link, navigate, useLocation, useQueryUpdater } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { Dialog } from '../../components/dialog.js';
import { Badge, Button, EmptyState, ErrorNote, Field, Input, Loading, PageHeader, Select, fieldError } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { UpstreamEditor, checkUpstreams, upstreamDraft, type UpstreamDraft, type UpstreamProblems } from './UpstreamEditor.js';

export interface ModelDraft {
  id: string;
  description: string;
  on_stream_failure: OnStreamFailure;
  enabled: boolean;
  upstreams: UpstreamDraft[];
}

export const ID_RE = /^[A-Za-z0-9._:/@+-]{1,128}$/;

export function modelBody(d: ModelDraft): LogicalModelFields {
  return {
    description: d.description.trim() || null,
    enabled: d.enabled,
    on_stream_failure: d.on_stream_failure,
    upstreams: d.upstreams.map((u) => ({ provider_id: u.provider_id, model: u.model.trim(), weight: Number(u.weight), priority: Number(u.priority) })),
  };
}

export function ModelFields({
  draft,
  set,
  creating,
  providers,
  problems,
  upstreamProblems,
  serverError,
}: {
  draft: ModelDraft;
  set(patch: Partial<ModelDraft>): void;
  creating: boolean;
  providers: Provider[];
  problems: { id?: string };
  upstreamProblems: UpstreamProblems;
  serverError: ApiError | null;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  return (
    <div className="stack">
      <div className="grid-form">
        {creating ? (
          <Field label={t('models.id')} hint={t('models.idHint')} error={problems.id ?? fieldError(serverError, 'id')}>
            {(p) => <Input {...p} value={draft.id} onChange={(e) => set({ id: e.target.value })} spellCheck={false} autoCapitalize="none" placeholder="chat-default" />}
          </Field>
        ) : null}
        <Field label={t('models.description')} optional error={fieldError(serverError, 'description')}>
          {(p) => <Input {...p} value={draft.description} onChange={(e) => set({ description: e.target.value })} />}
        </Field>
        <Field label={t('models.onStreamFailure')} hint={t(`models.osf.${draft.on_stream_failure}Hint`)}>
          {(p) => (
            <Select {...p} value={draft.on_stream_failure} onChange={(e) => set({ on_stream_failure: e.target.value as OnStreamFailure })}>
              <option value="error">{t('models.osf.error')}</option>
              <option value="continue">{t('models.osf.continue')}</option>
            </Select>
          )}
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>{t('models.upstreams')}</legend>
        {providers.length === 0 ? (
          <p className="hint">
            {t('models.noProviders')} <Link to="/providers?add=1">{t('providers.add')}</Link>
          </p>
        ) : null}
        <UpstreamEditor api={api} rows={draft.upstreams} setRows={(upstreams) => set({ upstreams })} providers={providers} problems={upstreamProblems} />
        {fieldError(serverError, 'upstreams') ? <div className="field-error">{fieldError(serverError, 'upstreams')}</div> : null}
      </fieldset>
    </div>
  );
}

export function validateDraft(d: ModelDraft, creating: boolean, t: Translate): { id?: string; up: UpstreamProblems } {
  const out: { id?: string; up: UpstreamProblems } = { up: checkUpstreams(d.upstreams, t) };
  if (creating && !ID_RE.test(d.id.trim())) out.id = t('models.idInvalid');
  return out;
}

function NewModelDialog({ open, onClose, providers, onCreated }: { open: boolean; onClose(): void; providers: Provider[]; onCreated(m: LogicalModel): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const fresh = (): ModelDraft => ({
    id: '',
    description: '',
    on_stream_failure: 'error',
    enabled: true,
    upstreams: providers.slice(0, 2).map((p, i) => upstreamDraft(p.id, '', 1, i)),
  });
  const [draft, setDraft] = useState<ModelDraft>(fresh);
  const [problems, setProblems] = useState<{ id?: string; up: UpstreamProblems }>({ up: {} });
  const save = useAction(async () => {
    const pr = validateDraft(draft, true, t);
    setProblems(pr);
    if (pr.id || Object.keys(pr.up).length) return;
    const m = await api.createLogicalModel({ id: draft.id.trim(), ...modelBody(draft) });
    onCreated(m);
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title={t('models.newTitle')}
      description={t('models.newDesc')}
      busy={save.busy}
      onSubmit={() => void save.run()}
      footer={
        <>
          <Button onClick={onClose} disabled={save.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {t('models.create')}
          </Button>
        </>
      }
    >
      <ModelFields
        draft={draft}
        set={(patch) => setDraft((d) => ({ ...d, ...patch }))}
        creating
        providers={providers}
        problems={problems}
        upstreamProblems={problems.up}
        serverError={save.error}
      />
      {save.error && !fieldError(save.error, 'id', 'description', 'upstreams') ? <ErrorNote error={save.error} compact /> : null}
    </Dialog>
  );
}

export function LogicalModelsPage() {
  const { t } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const data = useLoad(async () => {
    const [models, providers] = await Promise.all([api.listLogicalModels(), api.listProviders()]);
    return { models: models.data, providers: providers.data };
  }, [api]);
  const creating = query.get('new') === '1';
  const models = data.data?.models ?? [];
  const providers = data.data?.providers ?? [];
  const name = (id: string) => providers.find((p) => p.id === id)?.name ?? id;

  return (
    <div className="page">
      <PageHeader
        title={t('models.title')}
        description={t('models.desc')}
        actions={
          <Button variant="primary" icon="plus" onClick={() => update({ new: '1' })} disabled={data.loading}>
            {t('models.new')}
          </Button>
        }
      />
      {data.error ? <ErrorNote error={data.error} onRetry={data.reload} /> : null}
      {data.loading ? (
        <Loading />
      ) : models.length === 0 && !data.error ? (
        <div className="card">
          <EmptyState
            icon="models"
            title={t('models.emptyTitle')}
            action={
              providers.length === 0 ? (
                <Link to="/providers?add=1" className="btn btn-primary">
                  <span>{t('providers.add')}</span>
                </Link>
              ) : (
                <Button variant="primary" icon="plus" onClick={() => update({ new: '1' })}>
                  {t('models.new')}
                </Button>
              )
            }
          >
            {providers.length === 0 ? t('models.emptyNoProviders') : t('models.emptyText')}
          </EmptyState>
        </div>
      ) : (
        <div className="model-grid">
          {models.map((m) => {
            const tiers = [...new Set(m.upstreams.map((u) => u.priority))].sort((a, b) => a - b);
            return (
              <Link key={m.id} to={`/models/${encodeURIComponent(m.id)}`} className="model-card">
                <div className="model-card-head">
                  <span className="mono model-id">{m.id}</span>
                  {m.enabled ? null : <Badge>{t('common.disabled')}</Badge>}
                  {m.source === 'config' ? <Badge tone="info">{t('common.fromConfig')}</Badge> : null}
                </div>
                {m.description ? <p className="muted small">{m.description}</p> : null}
                {m.upstreams.length === 0 ? (
                  <p className="text-warning small">{t('models.noUpstreams')}</p>
                ) : (
                  tiers.map((tier) => {
                    const ups = m.upstreams.filter((u) => u.priority === tier);
                    const total = ups.reduce((a, u) => a + u.weight, 0);
                    return (
                      <div key={tier} className="tier">
                        <div className="tier-label">{t('models.tier', { n: tier })}</div>
                        <div className="share-bar" aria-hidden="true">
                          {ups.map((u, i) => (
                            <span key={`${u.provider_id}/${u.model}`} style={{ flexGrow: Math.max(u.weight, 0.0001), background: `var(--chart-${(i % 8) + 1})` }} />
                          ))}
                        </div>
                        <ul className="plain small">
                          {ups.map((u, i) => (
                            <li key={`${u.provider_id}/${u.model}`}>
                              <span className="swatch" style={{ background: `var(--chart-${(i % 8) + 1})` }} /> {name(u.provider_id)} · <span className="mono">{u.model}</span>
                              <span className="muted"> · {total > 0 ? `${Math.round((100 * u.weight) / total)}%` : '—'}</span>
                            </li>
                          ))}
                        </ul>
                      </div>
                    );
                  })
                )}
              </Link>
            );
          })}
        </div>
      )}
      {creating && data.data ? (
        <NewModelDialog
          open
          providers={providers}
          onClose={() => update({ new: null })}
          onCreated={(m) => {
            toast(t('models.createdToast', { id: m.id }));
            navigate(`/models/${encodeURIComponent(m.id)}`);
          }}
        />
      ) : null}
    </div>
  );
}

/** A provider's models (discovered or static) with their aliases and prices per million tokens. */
import { useMemo, useState } from 'react';
import type { ModelSettings, Provider, ProviderModel } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { ConfirmDialog, Dialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { Badge, Button, Card, EmptyState, ErrorNote, Field, Input, Loading, fieldError } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/index.js';
import { useAction, useLoad } from '../../lib/hooks.js';

const PRICE_FIELDS = ['price_input', 'price_cached_input', 'price_cache_write', 'price_output'] as const;
type PriceField = (typeof PRICE_FIELDS)[number];

function ModelDialog({ provider, model, onClose, onSaved }: { provider: Provider; model: ProviderModel | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const [modelId, setModelId] = useState(model?.model_id ?? '');
  const [alias, setAlias] = useState(model?.alias ?? '');
  const [prices, setPrices] = useState<Record<PriceField, string>>(() => {
    const out = {} as Record<PriceField, string>;
    for (const k of PRICE_FIELDS) out[k] = model?.[k] === null || model?.[k] === undefined ? '' : String(model[k]);
    return out;
  });
  const [problems, setProblems] = useState<Partial<Record<PriceField | 'model', string>>>({});
  const save = useAction(async () => {
    const pr: Partial<Record<PriceField | 'model', string>> = {};
    if (!modelId.trim()) pr.model = t('form.required');
    const body: ModelSettings = { alias: alias.trim() || null };
    for (const k of PRICE_FIELDS) {
      const v = prices[k].trim();
      if (!v) body[k] = null;
      else if (!(Number(v) >= 0)) pr[k] = t('form.number');
      else body[k] = Number(v);
    }
    setProblems(pr);
    if (Object.keys(pr).length) return;
    await api.setProviderModel(provider.id, modelId.trim(), body);
    toast(t('common.saved'));
    onSaved();
    onClose();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={model ? model.model_id : t('pmodels.addTitle')}
      description={t('pmodels.dialogDesc')}
      busy={save.busy}
      onSubmit={() => void save.run()}
      footer={
        <>
          <Button onClick={onClose} disabled={save.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <div className="stack">
        {model ? null : (
          <Field label={t('pmodels.modelId')} hint={t('pmodels.modelIdHint')} error={problems.model ?? null}>
            {(p) => <Input {...p} value={modelId} onChange={(e) => setModelId(e.target.value)} spellCheck={false} autoFocus />}
          </Field>
        )}
        <Field label={t('pmodels.alias')} optional hint={t('pmodels.aliasHint')} error={fieldError(save.error, 'alias')}>
          {(p) => <Input {...p} value={alias} onChange={(e) => setAlias(e.target.value)} spellCheck={false} />}
        </Field>
        <fieldset className="fieldset">
          <legend>{t('pmodels.prices')}</legend>
          <p className="hint">{t('pmodels.pricesHint')}</p>
          <div className="grid-form">
            {PRICE_FIELDS.map((k) => (
              <Field key={k} label={t(`pmodels.${k}`)} optional error={problems[k] ?? fieldError(save.error, k)}>
                {(p) => (
                  <div className="input-affix">
                    <span aria-hidden="true">$</span>
                    <Input {...p} value={prices[k]} onChange={(e) => setPrices({ ...prices, [k]: e.target.value })} inputMode="decimal" placeholder="0.00" />
                  </div>
                )}
              </Field>
            ))}
          </div>
        </fieldset>
        {save.error && !fieldError(save.error, 'alias', ...PRICE_FIELDS) ? <ErrorNote error={save.error} compact /> : null}
      </div>
    </Dialog>
  );
}

export function ProviderModels({ provider }: { provider: Provider }) {
  const { t, f } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const [refreshTick, setRefreshTick] = useState(0);
  const list = useLoad(() => api.listProviderModels(provider.id, refreshTick > 0), [api, provider.id, refreshTick]);
  const [editing, setEditing] = useState<ProviderModel | 'new' | null>(null);
  const [clearing, setClearing] = useState<ProviderModel | null>(null);
  const [filter, setFilter] = useState('');
  const clear = useAction(async (m: ProviderModel) => {
    await api.deleteProviderModel(provider.id, m.model_id);
    setClearing(null);
    list.reload();
    toast(t('pmodels.cleared', { model: m.model_id }));
  });
  const rows = useMemo(() => {
    const all = list.data?.data ?? [];
    const q = filter.trim().toLowerCase();
    return q ? all.filter((m) => m.model_id.toLowerCase().includes(q) || (m.alias ?? '').toLowerCase().includes(q)) : all;
  }, [list.data, filter]);
  const disc = list.data?.discovery;

  return (
    <Card
      title={t('pmodels.title')}
      subtitle={disc ? `${disc.mode === 'static' ? t('pmodels.static') : t('pmodels.discovered')} · ${t('pmodels.perMillion')}` : undefined}
      actions={
        <>
          <Button size="sm" icon="refresh" busy={list.refreshing} onClick={() => setRefreshTick((x) => x + 1)}>
            {t('pmodels.refresh')}
          </Button>
          <Button size="sm" variant="primary" icon="plus" onClick={() => setEditing('new')}>
            {t('pmodels.add')}
          </Button>
        </>
      }
    >
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} compact /> : null}
      {disc && !disc.ok ? (
        <div className="note note-warning" role="status">
          <Icon name="alert" />
          <div>
            <strong>{t('pmodels.discoveryFailed')}</strong> <span className="mono small">{disc.error}</span>
          </div>
        </div>
      ) : null}
      {list.loading ? (
        <Loading />
      ) : (list.data?.data ?? []).length === 0 ? (
        <EmptyState icon="models" title={t('pmodels.emptyTitle')} action={<Button icon="plus" onClick={() => setEditing('new')}>{t('pmodels.add')}</Button>}>
          {t('pmodels.emptyText')}
        </EmptyState>
      ) : (
        <>
          {(list.data?.data.length ?? 0) > 8 ? (
            <div className="toolbar">
              <label className="search">
                <Icon name="search" />
                <span className="sr-only">{t('pmodels.filter')}</span>
                <input className="input" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('pmodels.filter')} />
              </label>
            </div>
          ) : null}
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('pmodels.modelId')}</th>
                  <th scope="col">{t('pmodels.alias')}</th>
                  <th scope="col" className="num">
                    {t('pmodels.price_input')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('pmodels.price_cached_input')}
                  </th>
                  <th scope="col" className="num">
                    {t('pmodels.price_output')}
                  </th>
                  <th scope="col" className="hide-sm">
                    {t('pmodels.state')}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.model_id}>
                    <td className="mono">{m.model_id}</td>
                    <td className="mono">{m.alias ?? <span className="muted">—</span>}</td>
                    <td className="num">{m.price_input === null ? '—' : f.usd(m.price_input)}</td>
                    <td className="num hide-sm">{m.price_cached_input === null ? '—' : f.usd(m.price_cached_input)}</td>
                    <td className="num">{m.price_output === null ? '—' : f.usd(m.price_output)}</td>
                    <td className="hide-sm">
                      {m.served === false ? <Badge tone="warning">{t('pmodels.notServed')}</Badge> : m.served ? <Badge tone="success">{t('pmodels.served')}</Badge> : null}{' '}
                      {m.configured ? <Badge tone="accent">{t('pmodels.configured')}</Badge> : null}
                    </td>
                    <td className="actions">
                      <Button size="sm" variant="ghost" icon="edit" onClick={() => setEditing(m)}>
                        {t('common.edit')}
                      </Button>
                      {m.configured ? (
                        <Button size="sm" variant="ghost" onClick={() => setClearing(m)}>
                          {t('pmodels.clear')}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {editing ? (
        <ModelDialog key={editing === 'new' ? 'new' : editing.model_id} provider={provider} model={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={list.reload} />
      ) : null}
      <ConfirmDialog
        open={clearing !== null}
        title={t('pmodels.clearTitle', { model: clearing?.model_id ?? '' })}
        confirmLabel={t('pmodels.clear')}
        busy={clear.busy}
        onClose={() => setClearing(null)}
        onConfirm={() => clearing && void clear.run(clearing)}
        error={clear.error ? <ErrorNote error={clear.error} compact /> : null}
      >
        {t('pmodels.clearText')}
      </ConfirmDialog>
    </Card>
  );
}

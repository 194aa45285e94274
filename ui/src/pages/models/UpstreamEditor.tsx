/** Rows of upstreams (provider, model, weight, priority) for a logical model. */
import { useEffect, useId, useState } from 'react';
import type { Api } from '../../api/endpoints.js';
import type { Provider } from '../../api/types.js';
import { IconButton, Input, Select, Button } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';

export interface UpstreamDraft {
  key: number;
  provider_id: string;
  model: string;
  weight: string;
  priority: string;
}

let nextKey = 1;
export function upstreamDraft(provider_id = '', model = '', weight = 1, priority = 0): UpstreamDraft {
  return { key: nextKey++, provider_id, model, weight: String(weight), priority: String(priority) };
}

export interface UpstreamProblems {
  [key: number]: Partial<Record<'provider_id' | 'model' | 'weight' | 'priority', string>>;
}

export function checkUpstreams(rows: UpstreamDraft[], t: (k: 'form.required' | 'form.number' | 'models.duplicate') => string): UpstreamProblems {
  const out: UpstreamProblems = {};
  const seen = new Set<string>();
  for (const r of rows) {
    const p: UpstreamProblems[number] = {};
    if (!r.provider_id) p.provider_id = t('form.required');
    if (!r.model.trim()) p.model = t('form.required');
    const w = Number(r.weight);
    if (!r.weight.trim() || !(w >= 0)) p.weight = t('form.number');
    const pr = Number(r.priority);
    if (!r.priority.trim() || !Number.isInteger(pr) || pr < 0) p.priority = t('form.number');
    const k = `${r.provider_id}\u0000${r.model.trim()}`;
    if (r.provider_id && r.model.trim() && seen.has(k)) p.model = t('models.duplicate');
    seen.add(k);
    if (Object.keys(p).length) out[r.key] = p;
  }
  return out;
}

/** model ids per provider, fetched once each, for the model field's suggestions */
function useModelSuggestions(api: Api, providerIds: string[]): Record<string, string[]> {
  const [byProvider, setBy] = useState<Record<string, string[]>>({});
  const wanted = [...new Set(providerIds.filter(Boolean))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of wanted.split(',').filter(Boolean)) {
      if (byProvider[id]) continue;
      api
        .listProviderModels(id)
        .then((r) => {
          if (live) setBy((b) => ({ ...b, [id]: r.data.map((m) => m.alias ?? m.model_id).concat(r.data.filter((m) => m.alias).map((m) => m.model_id)) }));
        })
        .catch(() => live && setBy((b) => ({ ...b, [id]: [] })));
    }
    return () => {
      live = false;
    };
    // byProvider is read as a cache only
  }, [api, wanted]);
  return byProvider;
}

export function UpstreamEditor({
  api,
  rows,
  setRows,
  providers,
  problems,
}: {
  api: Api;
  rows: UpstreamDraft[];
  setRows(rows: UpstreamDraft[]): void;
  providers: Provider[];
  problems: UpstreamProblems;
}) {
  const { t } = useI18n();
  const uid = useId().replace(/:/g, '');
  const suggestions = useModelSuggestions(
    api,
    rows.map((r) => r.provider_id),
  );
  const change = (key: number, patch: Partial<UpstreamDraft>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <div className="upstreams">
      <div className="upstream-head" aria-hidden="true">
        <span>{t('models.provider')}</span>
        <span>{t('models.model')}</span>
        <span>{t('models.weight')}</span>
        <span>{t('models.priority')}</span>
        <span />
      </div>
      {rows.map((r, i) => {
        const pr = problems[r.key] ?? {};
        const listId = `${uid}-m${r.key}`;
        return (
          <div className="upstream-row" key={r.key} role="group" aria-label={t('models.upstreamN', { n: i + 1 })}>
            <div className="cell">
              <label className="cell-label" htmlFor={`${uid}-p${r.key}`}>
                {t('models.provider')}
              </label>
              <Select id={`${uid}-p${r.key}`} value={r.provider_id} onChange={(e) => change(r.key, { provider_id: e.target.value })} aria-invalid={pr.provider_id ? true : undefined}>
                <option value="">{t('models.chooseProvider')}</option>
                {providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.id})
                  </option>
                ))}
              </Select>
              {pr.provider_id ? <div className="field-error">{pr.provider_id}</div> : null}
            </div>
            <div className="cell">
              <label className="cell-label" htmlFor={`${uid}-model${r.key}`}>
                {t('models.model')}
              </label>
              <Input
                id={`${uid}-model${r.key}`}
                list={listId}
                value={r.model}
                onChange={(e) => change(r.key, { model: e.target.value })}
                placeholder={t('models.modelPlaceholder')}
                spellCheck={false}
                aria-invalid={pr.model ? true : undefined}
              />
              <datalist id={listId}>
                {(suggestions[r.provider_id] ?? []).slice(0, 200).map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
              {pr.model ? <div className="field-error">{pr.model}</div> : null}
            </div>
            <div className="cell narrow">
              <label className="cell-label" htmlFor={`${uid}-w${r.key}`}>
                {t('models.weight')}
              </label>
              <Input id={`${uid}-w${r.key}`} value={r.weight} onChange={(e) => change(r.key, { weight: e.target.value })} inputMode="decimal" aria-invalid={pr.weight ? true : undefined} />
              {pr.weight ? <div className="field-error">{pr.weight}</div> : null}
            </div>
            <div className="cell narrow">
              <label className="cell-label" htmlFor={`${uid}-pr${r.key}`}>
                {t('models.priority')}
              </label>
              <Input id={`${uid}-pr${r.key}`} value={r.priority} onChange={(e) => change(r.key, { priority: e.target.value })} inputMode="numeric" aria-invalid={pr.priority ? true : undefined} />
              {pr.priority ? <div className="field-error">{pr.priority}</div> : null}
            </div>
            <div className="cell tiny">
              <IconButton icon="trash" label={t('models.removeUpstream', { n: i + 1 })} onClick={() => setRows(rows.filter((x) => x.key !== r.key))} />
            </div>
          </div>
        );
      })}
      <div className="row gap">
        <Button size="sm" icon="plus" onClick={() => setRows([...rows, upstreamDraft(providers.find((p) => !rows.some((r) => r.provider_id === p.id))?.id ?? '')])}>
          {t('models.addUpstream')}
        </Button>
        <span className="hint">{t('models.upstreamHint')}</span>
      </div>
    </div>
  );
}

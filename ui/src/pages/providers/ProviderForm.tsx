/** Add a provider from a kind preset, or edit one; advanced settings fold away. */
import { useState } from 'react';
import type { ApiError } from '../../api/client.js';
import type { Provider, ProviderFields, ProviderKind } from '../../api/types.js';
import { Field, Input, SecretInput, Select, Switch, Textarea, fieldError } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { PRESETS, SLUG_RE, parseHeaders, presetOf, slugify, splitList } from '../../lib/presets.js';

export interface ProviderDraft {
  kind: ProviderKind;
  id: string;
  idTouched: boolean;
  name: string;
  base_url: string;
  api_version: string;
  key: string;
  weight: string;
  priority: string;
  models: string;
  retryable: string;
  headers: string;
  connect_ms: string;
  ttfb_ms: string;
  idle_ms: string;
  total_ms: string;
  probe_enabled: boolean;
  probe_interval: string;
  probe_model: string;
  enabled: boolean;
}

export function newDraft(kind: ProviderKind, taken: string[]): ProviderDraft {
  const p = presetOf(kind);
  let id = p.id;
  for (let i = 2; taken.includes(id); i++) id = `${p.id}-${i}`;
  return {
    kind,
    id,
    idTouched: false,
    name: p.name,
    base_url: '',
    api_version: kind === 'azure-openai' ? '2024-10-21' : '',
    key: '',
    weight: '1',
    priority: '0',
    models: '',
    retryable: '',
    headers: '',
    connect_ms: '',
    ttfb_ms: '',
    idle_ms: '',
    total_ms: '',
    probe_enabled: false,
    probe_interval: '',
    probe_model: '',
    enabled: true,
  };
}

export function draftOf(p: Provider): ProviderDraft {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    kind: p.kind,
    id: p.id,
    idTouched: true,
    name: p.name,
    base_url: p.base_url,
    api_version: p.api_version ?? '',
    key: '',
    weight: String(p.weight),
    priority: String(p.priority),
    models: (p.models ?? []).join('\n'),
    retryable: (p.retryable_status_codes ?? []).join(', '),
    headers: Object.entries(p.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    connect_ms: n(p.timeouts.connect_ms),
    ttfb_ms: n(p.timeouts.ttfb_ms),
    idle_ms: n(p.timeouts.idle_ms),
    total_ms: n(p.timeouts.total_ms),
    probe_enabled: p.probe.enabled,
    probe_interval: n(p.probe.interval_seconds),
    probe_model: p.probe.model ?? '',
    enabled: p.enabled,
  };
}

export type DraftProblems = Partial<Record<'id' | 'name' | 'base_url' | 'api_version' | 'key' | 'weight' | 'priority' | 'retryable' | 'headers' | 'timeouts' | 'probe', string>>;

const intOrNull = (s: string): number | null | 'bad' => {
  if (!s.trim()) return null;
  const n = Number(s);
  return Number.isInteger(n) && n > 0 ? n : 'bad';
};

/** Checks what the server would refuse, and builds the request body. */
export function buildBody(d: ProviderDraft, creating: boolean, t: (k: 'form.required' | 'form.slug' | 'form.url' | 'form.number' | 'form.codes' | 'form.headers' | 'form.ms') => string) {
  const problems: DraftProblems = {};
  const preset = presetOf(d.kind);
  if (creating && !SLUG_RE.test(d.id)) problems.id = t('form.slug');
  if (!d.name.trim()) problems.name = t('form.required');
  const url = d.base_url.trim();
  if (!url && preset.defaultBaseUrl === null) problems.base_url = t('form.required');
  else if (url && !/^https?:\/\/[^\s/]+/i.test(url)) problems.base_url = t('form.url');
  if (preset.needsApiVersion && !d.api_version.trim()) problems.api_version = t('form.required');
  if (creating && preset.keyRequired && !d.key.trim()) problems.key = t('form.required');
  const weight = Number(d.weight);
  if (!d.weight.trim() || !Number.isFinite(weight) || weight < 0) problems.weight = t('form.number');
  const priority = Number(d.priority);
  if (!d.priority.trim() || !Number.isInteger(priority) || priority < 0) problems.priority = t('form.number');
  const codes = splitList(d.retryable).map(Number);
  if (codes.some((c) => !Number.isInteger(c) || c < 400 || c > 599)) problems.retryable = t('form.codes');
  const headers = parseHeaders(d.headers);
  if (headers === null) problems.headers = t('form.headers');
  const tms = [d.connect_ms, d.ttfb_ms, d.idle_ms, d.total_ms].map(intOrNull);
  if (tms.includes('bad')) problems.timeouts = t('form.ms');
  const interval = intOrNull(d.probe_interval);
  if (interval === 'bad') problems.probe = t('form.number');
  const [connect_ms, ttfb_ms, idle_ms, total_ms] = tms as Array<number | null>;
  const body: ProviderFields = {
    kind: d.kind,
    name: d.name.trim(),
    ...(url ? { base_url: url } : {}),
    api_version: preset.needsApiVersion ? d.api_version.trim() : null,
    weight,
    priority,
    enabled: d.enabled,
    models: splitList(d.models).length ? splitList(d.models) : null,
    retryable_status_codes: codes.length ? codes : null,
    headers: headers ?? {},
    timeouts: tms.every((v) => v === null) ? null : { connect_ms: connect_ms ?? null, ttfb_ms: ttfb_ms ?? null, idle_ms: idle_ms ?? null, total_ms: total_ms ?? null },
    probe: {
      enabled: d.probe_enabled,
      interval_seconds: interval === 'bad' ? null : interval,
      model: d.probe_model.trim() || null,
    },
  };
  return { problems, body };
}

export function KindPicker({ value, onChange }: { value: ProviderKind; onChange(k: ProviderKind): void }) {
  const { t } = useI18n();
  return (
    <fieldset className="kind-picker">
      <legend>{t('providers.kind')}</legend>
      <div className="kind-grid" role="radiogroup" aria-label={t('providers.kind')}>
        {PRESETS.map((p) => (
          <label key={p.kind} className={`kind-card ${value === p.kind ? 'active' : ''}`}>
            <input type="radio" name="kind" value={p.kind} checked={value === p.kind} onChange={() => onChange(p.kind)} className="sr-only" />
            <span className={`kind-mark kind-${p.kind}`} aria-hidden="true">
              {p.mark}
            </span>
            <span className="kind-text">
              <span className="kind-name">{t(`kind.${p.kind}`)}</span>
              <span className="kind-desc">{t(`kindDesc.${p.kind}`)}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function ProviderFormFields({
  draft,
  set,
  creating,
  problems,
  serverError,
}: {
  draft: ProviderDraft;
  set(patch: Partial<ProviderDraft>): void;
  creating: boolean;
  problems: DraftProblems;
  serverError: ApiError | null;
}) {
  const { t } = useI18n();
  const preset = presetOf(draft.kind);
  const [advanced, setAdvanced] = useState(false);
  const err = (k: keyof DraftProblems, ...params: string[]) => problems[k] ?? fieldError(serverError, ...(params.length ? params : [k]));
  return (
    <div className="stack">
      {creating ? (
        <KindPicker
          value={draft.kind}
          onChange={(k) => {
            const p = presetOf(k);
            set({
              kind: k,
              ...(draft.idTouched ? {} : { id: p.id, name: p.name }),
              api_version: p.needsApiVersion ? draft.api_version || '2024-10-21' : '',
            });
          }}
        />
      ) : (
        <Field label={t('providers.kind')}>
          {(p) => (
            <Select {...p} value={draft.kind} onChange={(e) => set({ kind: e.target.value as ProviderKind })}>
              {PRESETS.map((x) => (
                <option key={x.kind} value={x.kind}>
                  {t(`kind.${x.kind}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <div className="grid-form">
        <Field label={t('providers.name')} error={err('name')}>
          {(p) => (
            <Input
              {...p}
              value={draft.name}
              onChange={(e) => set({ name: e.target.value, ...(creating && !draft.idTouched ? { id: slugify(e.target.value) } : {}) })}
            />
          )}
        </Field>
        {creating ? (
          <Field label={t('providers.id')} hint={t('providers.idHint')} error={err('id')}>
            {(p) => (
              <Input {...p} value={draft.id} onChange={(e) => set({ id: e.target.value.toLowerCase(), idTouched: true })} spellCheck={false} autoCapitalize="none" />
            )}
          </Field>
        ) : null}
      </div>
      <Field
        label={t('providers.baseUrl')}
        optional={preset.defaultBaseUrl !== null}
        hint={preset.defaultBaseUrl ? t('providers.baseUrlDefault', { url: preset.defaultBaseUrl }) : t(`providers.baseUrlHint.${draft.kind === 'azure-openai' ? 'azure' : 'compatible'}`)}
        error={err('base_url')}
      >
        {(p) => <Input {...p} value={draft.base_url} onChange={(e) => set({ base_url: e.target.value })} placeholder={preset.placeholder} spellCheck={false} inputMode="url" />}
      </Field>
      {preset.needsApiVersion ? (
        <Field label={t('providers.apiVersion')} hint={t('providers.apiVersionHint')} error={err('api_version')}>
          {(p) => <Input {...p} value={draft.api_version} onChange={(e) => set({ api_version: e.target.value })} spellCheck={false} />}
        </Field>
      ) : null}
      {creating ? (
        <Field label={t('providers.apiKey')} optional={!preset.keyRequired} hint={t('providers.apiKeyHint')} error={problems.key ?? fieldError(serverError, 'keys')}>
          {(p) => <SecretInput {...p} value={draft.key} onChange={(e) => set({ key: e.target.value })} placeholder={preset.keyPlaceholder} />}
        </Field>
      ) : null}
      <button type="button" className="disclosure" aria-expanded={advanced} onClick={() => setAdvanced((a) => !a)}>
        <span className={`caret ${advanced ? 'open' : ''}`} aria-hidden="true">
          ▸
        </span>
        {t('providers.advanced')}
      </button>
      {advanced ? (
        <div className="stack advanced">
          <div className="grid-form">
            <Field label={t('providers.weight')} hint={t('providers.weightHint')} error={err('weight')}>
              {(p) => <Input {...p} value={draft.weight} onChange={(e) => set({ weight: e.target.value })} inputMode="decimal" />}
            </Field>
            <Field label={t('providers.priority')} hint={t('providers.priorityHint')} error={err('priority')}>
              {(p) => <Input {...p} value={draft.priority} onChange={(e) => set({ priority: e.target.value })} inputMode="numeric" />}
            </Field>
          </div>
          <Field label={t('providers.staticModels')} optional hint={t('providers.staticModelsHint')} error={fieldError(serverError, 'models')}>
            {(p) => <Textarea {...p} rows={3} value={draft.models} onChange={(e) => set({ models: e.target.value })} placeholder="gpt-4o-mini&#10;gpt-4o" spellCheck={false} />}
          </Field>
          <Field label={t('providers.retryable')} optional hint={t('providers.retryableHint')} error={err('retryable', 'retryable_status_codes')}>
            {(p) => <Input {...p} value={draft.retryable} onChange={(e) => set({ retryable: e.target.value })} placeholder="408, 409" />}
          </Field>
          <Field label={t('providers.headers')} optional hint={t('providers.headersHint')} error={err('headers')}>
            {(p) => <Textarea {...p} rows={2} value={draft.headers} onChange={(e) => set({ headers: e.target.value })} placeholder="OpenAI-Organization: org-…" spellCheck={false} />}
          </Field>
          <fieldset className="fieldset">
            <legend>{t('providers.timeouts')}</legend>
            <p className="hint">{t('providers.timeoutsHint')}</p>
            <div className="grid-form grid-4">
              {(['connect_ms', 'ttfb_ms', 'idle_ms', 'total_ms'] as const).map((k) => (
                <Field key={k} label={t(`providers.timeout.${k}`)}>
                  {(p) => <Input {...p} value={draft[k]} onChange={(e) => set({ [k]: e.target.value })} inputMode="numeric" placeholder={t('providers.default')} />}
                </Field>
              ))}
            </div>
            {err('timeouts') ? (
              <div className="field-error" role="alert">
                {err('timeouts')}
              </div>
            ) : null}
          </fieldset>
          <fieldset className="fieldset">
            <legend>{t('providers.probe')}</legend>
            <div className="row gap center">
              <Switch checked={draft.probe_enabled} onChange={(v) => set({ probe_enabled: v })} label={t('providers.probeEnabled')} />
              <span>{t('providers.probeEnabled')}</span>
            </div>
            <div className="grid-form">
              <Field label={t('providers.probeInterval')} optional error={err('probe')}>
                {(p) => <Input {...p} value={draft.probe_interval} onChange={(e) => set({ probe_interval: e.target.value })} inputMode="numeric" placeholder="60" />}
              </Field>
              <Field label={t('providers.probeModel')} optional hint={t('providers.probeModelHint')}>
                {(p) => <Input {...p} value={draft.probe_model} onChange={(e) => set({ probe_model: e.target.value })} spellCheck={false} />}
              </Field>
            </div>
          </fieldset>
        </div>
      ) : null}
    </div>
  );
}

/** The fields of a client API key: name, expiry, what it may use, limits and budget. */
import type { ApiError } from '../../api/client.js';
import type { ApiKey, ApiKeyFields, BudgetPeriod, Expiry, Provider, User } from '../../api/types.js';
import { Field, Input, Segmented, Select, fieldError } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { splitList } from '../../lib/presets.js';

export interface KeyDraft {
  name: string;
  /** '' = keep the current expiry (editing) */
  expiry: Expiry | '';
  owner: string;
  providers: string[];
  providersText: string;
  models: string;
  rpm: string;
  tpm: string;
  budget: string;
  period: BudgetPeriod;
}

export const NO_OWNER = '__none__';

export function newKeyDraft(owner: string): KeyDraft {
  return { name: '', expiry: 'month', owner, providers: [], providersText: '', models: '', rpm: '', tpm: '', budget: '', period: 'month' };
}

export function keyDraftOf(k: ApiKey): KeyDraft {
  return {
    name: k.name,
    expiry: '',
    owner: k.user_id ?? NO_OWNER,
    providers: k.allowed_providers ?? [],
    providersText: (k.allowed_providers ?? []).join(', '),
    models: (k.allowed_models ?? []).join(', '),
    rpm: k.rpm_limit === null ? '' : String(k.rpm_limit),
    tpm: k.tpm_limit === null ? '' : String(k.tpm_limit),
    budget: k.budget_usd === null ? '' : String(k.budget_usd),
    period: k.budget_period ?? 'month',
  };
}

export type KeyProblems = Partial<Record<'name' | 'rpm' | 'tpm' | 'budget', string>>;

export function keyBody(d: KeyDraft, pickProviders: boolean, t: (k: 'form.required' | 'form.positiveInt' | 'form.positive') => string): { problems: KeyProblems; body: ApiKeyFields } {
  const problems: KeyProblems = {};
  if (!d.name.trim()) problems.name = t('form.required');
  const int = (s: string, k: 'rpm' | 'tpm'): number | null => {
    if (!s.trim()) return null;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) problems[k] = t('form.positiveInt');
    return n;
  };
  const rpm = int(d.rpm, 'rpm');
  const tpm = int(d.tpm, 'tpm');
  let budget: number | null = null;
  if (d.budget.trim()) {
    budget = Number(d.budget);
    if (!(budget > 0)) problems.budget = t('form.positive');
  }
  const providers = pickProviders ? d.providers : splitList(d.providersText);
  const models = splitList(d.models);
  return {
    problems,
    body: {
      name: d.name.trim(),
      ...(d.expiry ? { expiry: d.expiry } : {}),
      allowed_providers: providers.length ? providers : null,
      allowed_models: models.length ? models : null,
      rpm_limit: rpm,
      tpm_limit: tpm,
      budget_usd: budget,
      budget_period: budget === null ? null : d.period,
    },
  };
}

export function KeyFormFields({
  draft,
  set,
  editing,
  users,
  providers,
  problems,
  serverError,
}: {
  draft: KeyDraft;
  set(patch: Partial<KeyDraft>): void;
  editing: ApiKey | null;
  /** administrators: choose the owner */
  users: User[] | null;
  /** administrators: tick providers; users type their ids */
  providers: Provider[] | null;
  problems: KeyProblems;
  serverError: ApiError | null;
}) {
  const { t, f } = useI18n();
  const expiries: Array<{ value: Expiry | ''; label: string }> = [
    ...(editing ? [{ value: '' as const, label: t('keys.expiry.keep') }] : []),
    { value: 'week', label: t('keys.expiry.week') },
    { value: 'month', label: t('keys.expiry.month') },
    { value: 'year', label: t('keys.expiry.year') },
    { value: 'never', label: t('keys.expiry.never') },
  ];
  return (
    <div className="stack">
      <div className="grid-form">
        <Field label={t('keys.name')} hint={t('keys.nameHint')} error={problems.name ?? fieldError(serverError, 'name')}>
          {(p) => <Input {...p} value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder={t('keys.namePlaceholder')} autoFocus />}
        </Field>
        {users && !editing ? (
          <Field label={t('keys.owner')} hint={t('keys.ownerHint')} error={fieldError(serverError, 'user_id')}>
            {(p) => (
              <Select {...p} value={draft.owner} onChange={(e) => set({ owner: e.target.value })}>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.display_name ? `${u.display_name} (${u.username})` : u.username}
                  </option>
                ))}
                <option value={NO_OWNER}>{t('keys.noOwner')}</option>
              </Select>
            )}
          </Field>
        ) : null}
      </div>
      <div className="field">
        <span className="label" id="expiry-label">
          {t('keys.expiry')}
        </span>
        <Segmented label={t('keys.expiry')} value={draft.expiry} onChange={(v) => set({ expiry: v })} options={expiries} />
        <div className="hint">
          {editing && draft.expiry === ''
            ? editing.expires_at
              ? t('keys.expiresOn', { at: f.dateTime(editing.expires_at) })
              : t('keys.neverExpires')
            : t('keys.expiryHint')}
        </div>
        {fieldError(serverError, 'expiry', 'expires_at') ? <div className="field-error">{fieldError(serverError, 'expiry', 'expires_at')}</div> : null}
      </div>
      <fieldset className="fieldset">
        <legend>{t('keys.restrictions')}</legend>
        {providers ? (
          <div className="field">
            <span className="label">{t('keys.allowedProviders')}</span>
            {providers.length === 0 ? (
              <div className="hint">{t('keys.noProvidersYet')}</div>
            ) : (
              <div className="checks">
                {providers.map((p) => (
                  <label key={p.id} className="check">
                    <input
                      type="checkbox"
                      checked={draft.providers.includes(p.id)}
                      onChange={(e) => set({ providers: e.target.checked ? [...draft.providers, p.id] : draft.providers.filter((x) => x !== p.id) })}
                    />
                    <span>{p.name}</span>
                  </label>
                ))}
              </div>
            )}
            <div className="hint">{t('keys.allowedProvidersHint')}</div>
            {fieldError(serverError, 'allowed_providers') ? <div className="field-error">{fieldError(serverError, 'allowed_providers')}</div> : null}
          </div>
        ) : (
          <Field label={t('keys.allowedProviders')} optional hint={t('keys.allowedProvidersText')} error={fieldError(serverError, 'allowed_providers')}>
            {(p) => <Input {...p} value={draft.providersText} onChange={(e) => set({ providersText: e.target.value })} spellCheck={false} />}
          </Field>
        )}
        <Field label={t('keys.allowedModels')} optional hint={t('keys.allowedModelsHint')} error={fieldError(serverError, 'allowed_models')}>
          {(p) => <Input {...p} value={draft.models} onChange={(e) => set({ models: e.target.value })} placeholder="gpt-4o-mini, claude-sonnet-4-6" spellCheck={false} />}
        </Field>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('keys.limits')}</legend>
        <div className="grid-form grid-4">
          <Field label={t('keys.rpm')} optional error={problems.rpm ?? fieldError(serverError, 'rpm_limit')}>
            {(p) => <Input {...p} value={draft.rpm} onChange={(e) => set({ rpm: e.target.value })} inputMode="numeric" placeholder={t('keys.unlimited')} />}
          </Field>
          <Field label={t('keys.tpm')} optional error={problems.tpm ?? fieldError(serverError, 'tpm_limit')}>
            {(p) => <Input {...p} value={draft.tpm} onChange={(e) => set({ tpm: e.target.value })} inputMode="numeric" placeholder={t('keys.unlimited')} />}
          </Field>
          <Field label={t('keys.budget')} optional error={problems.budget ?? fieldError(serverError, 'budget_usd')}>
            {(p) => (
              <div className="input-affix">
                <span aria-hidden="true">$</span>
                <Input {...p} value={draft.budget} onChange={(e) => set({ budget: e.target.value })} inputMode="decimal" placeholder={t('keys.noBudget')} />
              </div>
            )}
          </Field>
          <Field label={t('keys.period')}>
            {(p) => (
              <Select {...p} value={draft.period} onChange={(e) => set({ period: e.target.value as BudgetPeriod })} disabled={!draft.budget.trim()}>
                <option value="day">{t('keys.period.day')}</option>
                <option value="month">{t('keys.period.month')}</option>
                <option value="total">{t('keys.period.total')}</option>
              </Select>
            )}
          </Field>
        </div>
        <p className="hint">{t('keys.limitsHint')}</p>
      </fieldset>
    </div>
  );
}

/** A provider's upstream keys: shown masked, added, edited, rotated, disabled, revived, deleted. */
import { useState } from 'react';
import type { Provider, ProviderKey, ProviderKeyStatus, ProviderMetrics } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { ConfirmDialog, Dialog } from '../../components/dialog.js';
import { Badge, Button, Card, EmptyState, ErrorNote, Field, Input, Loading, SecretInput, Select, fieldError, type Tone } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/index.js';
import { useAction, useLoad } from '../../lib/hooks.js';

const STATUS_TONE: Record<ProviderKeyStatus, Tone> = { active: 'success', disabled: 'neutral', dead: 'danger' };
const LIVE_STATES = ['ready', 'soft', 'hard', 'dead', 'disabled'] as const;

interface KeyDraft {
  key: string;
  label: string;
  weight: string;
  max_qps: string;
  status: ProviderKeyStatus;
}

function KeyDialog({ provider, editing, open, onClose, onSaved }: { provider: Provider; editing: ProviderKey | null; open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const [d, setD] = useState<KeyDraft>(() =>
    editing
      ? { key: '', label: editing.label, weight: String(editing.weight), max_qps: editing.max_qps === null ? '' : String(editing.max_qps), status: editing.status }
      : { key: '', label: '', weight: '1', max_qps: '', status: 'active' },
  );
  const [problem, setProblem] = useState<Partial<Record<keyof KeyDraft, string>>>({});
  const save = useAction(async () => {
    const pr: Partial<Record<keyof KeyDraft, string>> = {};
    if (!editing && !d.key.trim()) pr.key = t('form.required');
    const weight = Number(d.weight);
    if (!(weight > 0)) pr.weight = t('form.positive');
    const qps = d.max_qps.trim() ? Number(d.max_qps) : null;
    if (qps !== null && !(Number.isInteger(qps) && qps > 0)) pr.max_qps = t('form.number');
    setProblem(pr);
    if (Object.keys(pr).length) return;
    if (editing) {
      await api.updateProviderKey(provider.id, editing.id, {
        label: d.label.trim() || editing.label,
        weight,
        max_qps: qps,
        status: d.status,
        ...(d.key.trim() ? { key: d.key.trim() } : {}),
      });
    } else {
      await api.addProviderKey(provider.id, { key: d.key.trim(), ...(d.label.trim() ? { label: d.label.trim() } : {}), weight, max_qps: qps });
    }
    toast(t('common.saved'));
    onSaved();
    onClose();
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={editing ? t('pkeys.editTitle', { label: editing.label }) : t('pkeys.addTitle', { name: provider.name })}
      description={t('pkeys.secretNote')}
      busy={save.busy}
      onSubmit={() => void save.run()}
      footer={
        <>
          <Button onClick={onClose} disabled={save.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {editing ? t('common.save') : t('pkeys.add')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <Field
          label={editing ? t('pkeys.replaceKey') : t('pkeys.key')}
          optional={editing !== null}
          hint={editing ? t('pkeys.replaceHint', { hint: editing.hint }) : undefined}
          error={problem.key ?? fieldError(save.error, 'key')}
        >
          {(p) => <SecretInput {...p} value={d.key} onChange={(e) => setD({ ...d, key: e.target.value })} autoFocus={!editing} />}
        </Field>
        <div className="grid-form">
          <Field label={t('pkeys.label')} optional hint={t('pkeys.labelHint')} error={fieldError(save.error, 'label')}>
            {(p) => <Input {...p} value={d.label} onChange={(e) => setD({ ...d, label: e.target.value })} />}
          </Field>
          <Field label={t('pkeys.weight')} hint={t('pkeys.weightHint')} error={problem.weight ?? fieldError(save.error, 'weight')}>
            {(p) => <Input {...p} value={d.weight} onChange={(e) => setD({ ...d, weight: e.target.value })} inputMode="decimal" />}
          </Field>
          <Field label={t('pkeys.maxQps')} optional hint={t('pkeys.maxQpsHint')} error={problem.max_qps ?? fieldError(save.error, 'max_qps')}>
            {(p) => <Input {...p} value={d.max_qps} onChange={(e) => setD({ ...d, max_qps: e.target.value })} inputMode="numeric" />}
          </Field>
          {editing ? (
            <Field label={t('pkeys.status')}>
              {(p) => (
                <Select {...p} value={d.status} onChange={(e) => setD({ ...d, status: e.target.value as ProviderKeyStatus })}>
                  <option value="active">{t('pkeys.status.active')}</option>
                  <option value="disabled">{t('pkeys.status.disabled')}</option>
                  <option value="dead">{t('pkeys.status.dead')}</option>
                </Select>
              )}
            </Field>
          ) : null}
        </div>
        {save.error && !fieldError(save.error, 'key', 'label', 'weight', 'max_qps') ? <ErrorNote error={save.error} compact /> : null}
      </div>
    </Dialog>
  );
}

export function ProviderKeys({ provider, liveKeys, onChanged }: { provider: Provider; liveKeys: ProviderMetrics['keys']; onChanged(): void }) {
  const { t, f } = useI18n();
  const { api } = useSession();
  const toast = useToast();
  const keys = useLoad(() => api.listProviderKeys(provider.id), [api, provider.id]);
  const [dialog, setDialog] = useState<{ editing: ProviderKey | null } | null>(null);
  const [removing, setRemoving] = useState<ProviderKey | null>(null);
  const revive = useAction(async (k: ProviderKey) => {
    await api.updateProviderKey(provider.id, k.id, { status: 'active' });
    keys.reload();
    onChanged();
    toast(t('pkeys.revived', { label: k.label }));
  });
  const del = useAction(async (k: ProviderKey) => {
    await api.deleteProviderKey(provider.id, k.id);
    setRemoving(null);
    keys.reload();
    onChanged();
    toast(t('pkeys.deleted', { label: k.label }));
  });
  const rows = keys.data?.data ?? [];
  return (
    <Card
      title={t('pkeys.title')}
      subtitle={t('pkeys.sub')}
      actions={
        <Button variant="primary" icon="plus" size="sm" onClick={() => setDialog({ editing: null })}>
          {t('pkeys.add')}
        </Button>
      }
    >
      {keys.error ? <ErrorNote error={keys.error} onRetry={keys.reload} compact /> : null}
      {revive.error ? <ErrorNote error={revive.error} compact /> : null}
      {keys.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="keys"
          title={t('pkeys.emptyTitle')}
          action={
            <Button variant="primary" icon="plus" onClick={() => setDialog({ editing: null })}>
              {t('pkeys.add')}
            </Button>
          }
        >
          {provider.kind === 'openai-compatible' ? t('pkeys.emptyOptional') : t('pkeys.emptyText')}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('pkeys.label')}</th>
                <th scope="col">{t('pkeys.key')}</th>
                <th scope="col">{t('pkeys.status')}</th>
                <th scope="col" className="hide-sm">
                  {t('pkeys.live')}
                </th>
                <th scope="col" className="num hide-sm">
                  {t('pkeys.weight')}
                </th>
                <th scope="col" className="num hide-sm">
                  {t('pkeys.maxQps')}
                </th>
                <th scope="col">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => {
                const live = liveKeys.find((x) => x.id === k.id);
                return (
                  <tr key={k.id}>
                    <td>
                      <strong>{k.label}</strong>
                      <div className="muted small">{t('common.addedAt', { at: f.relative(k.created_at) })}</div>
                    </td>
                    <td className="mono">{k.hint}</td>
                    <td>
                      <Badge tone={STATUS_TONE[k.status]}>{t(`pkeys.status.${k.status}`)}</Badge>
                      {k.status_reason ? <div className="muted small wrap">{k.status_reason}</div> : null}
                    </td>
                    <td className="hide-sm small">
                      {live ? (
                        <>
                          <span>{(LIVE_STATES as readonly string[]).includes(live.state) ? t(`pkeys.state.${live.state as (typeof LIVE_STATES)[number]}`) : live.state}</span>
                          {live.backoff_until ? <div className="muted">{t('pkeys.backoff', { at: f.relative(live.backoff_until) })}</div> : null}
                          {live.reason ? <div className="muted wrap">{live.reason}</div> : null}
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="num hide-sm">{k.weight}</td>
                    <td className="num hide-sm">{k.max_qps ?? '—'}</td>
                    <td className="actions">
                      {k.status === 'dead' ? (
                        <Button size="sm" variant="ghost" busy={revive.busy} onClick={() => void revive.run(k)}>
                          {t('pkeys.revive')}
                        </Button>
                      ) : null}
                      <Button size="sm" variant="ghost" icon="edit" onClick={() => setDialog({ editing: k })}>
                        {t('common.edit')}
                      </Button>
                      <Button size="sm" variant="ghost" icon="trash" onClick={() => setRemoving(k)} aria-label={t('pkeys.deleteLabel', { label: k.label })}>
                        {t('common.delete')}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {dialog ? (
        <KeyDialog
          key={dialog.editing?.id ?? 'new'}
          provider={provider}
          editing={dialog.editing}
          open
          onClose={() => setDialog(null)}
          onSaved={() => {
            keys.reload();
            onChanged();
          }}
        />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={t('pkeys.deleteTitle', { label: removing?.label ?? '' })}
        confirmLabel={t('common.delete')}
        busy={del.busy}
        onClose={() => {
          setRemoving(null);
          del.clearError();
        }}
        onConfirm={() => removing && void del.run(removing)}
        error={del.error ? <ErrorNote error={del.error} compact /> : null}
      >
        {t('pkeys.deleteText')}
      </ConfirmDialog>
    </Card>
  );
}

/** Client API keys: create (the token is shown once), edit, pause, revoke; usage per key. */
import { Fragment, useMemo, useState } from 'react';
import type { ApiKey, ApiKeyStatus, CreatedApiKey, UsageSums } from '../../api/types.js';
import { navigate, useLocation, useQueryUpdater } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { TimeChart } from '../../charts/TimeChart.js';
import { ConfirmDialog, Dialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { Badge, Button, CopyButton, EmptyState, ErrorNote, IconButton, Loading, PageHeader, Switch, type Tone } from '../../components/ui.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/index.js';
import { useAction, useLoad } from '../../lib/hooks.js';
import { KeyFormFields, NO_OWNER, keyBody, keyDraftOf, newKeyDraft, type KeyDraft, type KeyProblems } from './KeyForm.js';

const STATUS_TONE: Record<ApiKeyStatus, Tone> = { active: 'success', disabled: 'neutral', expired: 'warning', revoked: 'danger' };
const DAY = 86_400_000;

export function TokenReveal({ created, onClose, onUse }: { created: CreatedApiKey; onClose(): void; onUse(): void }) {
  const { t } = useI18n();
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('keys.createdTitle', { name: created.name })}
      footer={
        <>
          <Button onClick={onUse} icon="playground">
            {t('keys.useInPlayground')}
          </Button>
          <Button variant="primary" onClick={onClose}>
            {t('keys.savedIt')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <div className="note note-warning" role="alert">
          <Icon name="lock" />
          <div>{t('keys.shownOnce')}</div>
        </div>
        <div className="secret-box">
          <div className="secret-label">{t('keys.token')}</div>
          <code className="secret-value" data-testid="new-token">
            {created.token}
          </code>
          <CopyButton text={created.token} />
        </div>
        <details className="formula">
          <summary>{t('keys.howToUse')}</summary>
          <pre className="code small">{`curl ${window.location.origin}/v1/chat/completions \\
  -H "Authorization: Bearer ${created.token}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "<model>", "messages": [{"role": "user", "content": "Hello"}]}'`}</pre>
        </details>
      </div>
    </Dialog>
  );
}

function KeyDialog({ editing, onClose, onSaved, onCreated }: { editing: ApiKey | null; onClose(): void; onSaved(k: ApiKey): void; onCreated(k: CreatedApiKey): void }) {
  const { t } = useI18n();
  const { api, isAdmin, info } = useSession();
  const me = info?.user?.id ?? null;
  const extra = useLoad(
    async () => {
      const [users, providers] = await Promise.all([api.listUsers(), api.listProviders()]);
      return { users: users.data, providers: providers.data };
    },
    [api],
    { enabled: isAdmin },
  );
  const [draft, setDraft] = useState<KeyDraft>(() => (editing ? keyDraftOf(editing) : newKeyDraft(me ?? NO_OWNER)));
  const [problems, setProblems] = useState<KeyProblems>({});
  const save = useAction(async () => {
    const { problems: pr, body } = keyBody(draft, isAdmin, t);
    setProblems(pr);
    if (Object.keys(pr).length) return;
    if (editing) {
      onSaved(await api.updateApiKey(editing, body, isAdmin));
    } else {
      const owner = draft.owner === NO_OWNER ? null : draft.owner;
      onCreated(await api.createApiKey(owner, { ...body, name: body.name ?? '' }, isAdmin));
    }
  });
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={editing ? t('keys.editTitle', { name: editing.name }) : t('keys.newTitle')}
      description={editing ? undefined : t('keys.newDesc')}
      busy={save.busy}
      onSubmit={() => void save.run()}
      footer={
        <>
          <Button onClick={onClose} disabled={save.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {editing ? t('common.save') : t('keys.create')}
          </Button>
        </>
      }
    >
      {isAdmin && extra.loading ? (
        <Loading />
      ) : (
        <KeyFormFields
          draft={draft}
          set={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          editing={editing}
          users={isAdmin ? (extra.data?.users ?? []) : null}
          providers={isAdmin ? (extra.data?.providers ?? []) : null}
          problems={problems}
          serverError={save.error}
        />
      )}
      {extra.error ? <ErrorNote error={extra.error} compact /> : null}
      {save.error && !['name', 'expiry', 'expires_at', 'allowed_providers', 'allowed_models', 'rpm_limit', 'tpm_limit', 'budget_usd', 'user_id'].some((p) => save.error?.param?.startsWith(p)) ? (
        <ErrorNote error={save.error} compact />
      ) : null}
    </Dialog>
  );
}

function KeyUsage({ k }: { k: ApiKey }) {
  const { t, f } = useI18n();
  const { api } = useSession();
  const ts = useLoad((signal) => api.timeseries({ range: 'week', key_id: k.id }, signal), [api, k.id]);
  const pts = ts.data?.series.flatMap((s) => s.points) ?? [];
  const byT = new Map<string, { requests: number; tokens: number; cost: number }>();
  for (const p of pts) {
    const cur = byT.get(p.t) ?? { requests: 0, tokens: 0, cost: 0 };
    cur.requests += p.requests;
    cur.tokens += p.total_tokens;
    cur.cost += p.cost_usd;
    byT.set(p.t, cur);
  }
  const keys = [...byT.keys()].sort();
  return (
    <div className="key-usage">
      {ts.error ? <ErrorNote error={ts.error} compact /> : null}
      {ts.loading ? (
        <Loading />
      ) : (
        <TimeChart
          label={t('keys.usageChart', { name: k.name })}
          kind="stacked"
          height={150}
          x={keys.map((x) => new Date(x))}
          series={[{ key: 'req', label: t('overview.requests'), values: keys.map((x) => byT.get(x)!.requests) }]}
          yFormat={(n) => f.compact(n)}
          xFormat={(d) => f.shortDate(d)}
          empty={keys.every((x) => byT.get(x)!.requests === 0) ? <span>{t('keys.noUsage')}</span> : undefined}
        />
      )}
    </div>
  );
}

export function ApiKeysPage() {
  const { t, f } = useI18n();
  const { api, isAdmin, info, holdKey, heldKeys, dropKey } = useSession();
  const toast = useToast();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const showRevoked = query.get('revoked') === '1';
  const me = info?.user?.id ?? null;
  const keys = useLoad(async () => {
    const from = new Date(Date.now() - 30 * DAY).toISOString();
    const [list, usage, users] = await Promise.all([
      api.listApiKeys({ userId: me, all: isAdmin }, showRevoked),
      api.usage({ from, group_by: ['key'] }).catch(() => null),
      isAdmin ? api.listUsers().catch(() => null) : Promise.resolve(null),
    ]);
    const byKey = new Map<string, UsageSums>();
    for (const r of usage?.data ?? []) if (r.key_id) byKey.set(r.key_id, r);
    const names = new Map<string, string>((users?.data ?? []).map((u) => [u.id, u.username]));
    return { keys: list.data, usage: byKey, names };
  }, [api, me, isAdmin, showRevoked]);
  const [dialog, setDialog] = useState<{ editing: ApiKey | null } | null>(query.get('new') === '1' ? { editing: null } : null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const revoke = useAction(async (k: ApiKey) => {
    await api.revokeApiKey(k, isAdmin);
    for (const h of heldKeys) if (h.id === k.id) dropKey(h.token);
    setRevoking(null);
    keys.reload();
    toast(t('keys.revokedToast', { name: k.name }));
  });
  const pause = useAction(async (k: ApiKey) => {
    const nk = await api.updateApiKey(k, { enabled: !k.enabled }, isAdmin);
    keys.setData((d) => (d ? { ...d, keys: d.keys.map((x) => (x.id === k.id ? nk : x)) } : d));
  });
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = keys.data?.keys ?? [];
    return q ? all.filter((k) => k.name.toLowerCase().includes(q) || k.prefix.toLowerCase().includes(q)) : all;
  }, [keys.data, search]);

  const openInPlayground = (c: CreatedApiKey) => {
    setCreated(null);
    navigate(`/playground?key=${encodeURIComponent(c.id)}`);
  };

  return (
    <div className="page">
      <PageHeader
        title={t('keys.title')}
        description={isAdmin ? t('keys.descAdmin') : t('keys.desc')}
        actions={
          <Button variant="primary" icon="plus" onClick={() => setDialog({ editing: null })}>
            {t('keys.new')}
          </Button>
        }
      />
      {keys.error ? <ErrorNote error={keys.error} onRetry={keys.reload} /> : null}
      {pause.error ? <ErrorNote error={pause.error} /> : null}
      <div className="toolbar">
        <label className="search">
          <Icon name="search" />
          <span className="sr-only">{t('keys.search')}</span>
          <input className="input" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('keys.search')} />
        </label>
        <label className="check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => update({ revoked: e.target.checked ? '1' : null })} />
          <span>{t('keys.showRevoked')}</span>
        </label>
      </div>
      {keys.loading ? (
        <Loading />
      ) : (keys.data?.keys ?? []).length === 0 && !keys.error ? (
        <div className="card">
          <EmptyState
            icon="keys"
            title={t('keys.emptyTitle')}
            action={
              <Button variant="primary" icon="plus" onClick={() => setDialog({ editing: null })}>
                {t('keys.new')}
              </Button>
            }
          >
            {t('keys.emptyText')}
          </EmptyState>
        </div>
      ) : (
        <div className="card card-flush">
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">{t('keys.details')}</span>
                  </th>
                  <th scope="col">{t('keys.name')}</th>
                  <th scope="col">{t('keys.status')}</th>
                  {isAdmin ? (
                    <th scope="col" className="hide-sm">
                      {t('keys.owner')}
                    </th>
                  ) : null}
                  <th scope="col" className="hide-md">
                    {t('keys.restrictions')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('keys.usage30')}
                  </th>
                  <th scope="col" className="hide-md">
                    {t('keys.lastUsed')}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((k) => {
                  const u = keys.data?.usage.get(k.id);
                  const live = k.status === 'active' || k.status === 'disabled';
                  const isOpen = open === k.id;
                  return (
                    <Fragment key={k.id}>
                      <tr className={k.status === 'revoked' ? 'row-muted' : ''}>
                        <td className="tiny">
                          <IconButton
                            icon={isOpen ? 'chevronDown' : 'chevronRight'}
                            label={t('keys.showUsage', { name: k.name })}
                            aria-expanded={isOpen}
                            onClick={() => setOpen(isOpen ? null : k.id)}
                          />
                        </td>
                        <td>
                          <strong className="nowrap">{k.name}</strong>
                          <div className="mono small muted">{k.prefix}…</div>
                        </td>
                        <td>
                          <Badge tone={STATUS_TONE[k.status]}>{t(`keys.status.${k.status}`)}</Badge>
                          <div className="small muted">
                            {k.status === 'revoked'
                              ? f.relative(k.revoked_at)
                              : k.expires_at
                                ? t('keys.expiresRel', { at: f.relative(k.expires_at) })
                                : t('keys.neverExpires')}
                          </div>
                        </td>
                        {isAdmin ? (
                          <td className="hide-sm">{k.user_id ? (keys.data?.names.get(k.user_id) ?? k.user_id.slice(0, 8)) : <span className="muted">{k.source === 'api' ? t('keys.noOwner') : k.source}</span>}</td>
                        ) : null}
                        <td className="hide-md small">
                          {k.allowed_providers || k.allowed_models || k.rpm_limit || k.tpm_limit || k.budget_usd ? (
                            <div className="tags">
                              {k.allowed_providers ? <span className="tag">{t('keys.tagProviders', { list: k.allowed_providers.join(', ') })}</span> : null}
                              {k.allowed_models ? <span className="tag">{t('keys.tagModels', { list: k.allowed_models.join(', ') })}</span> : null}
                              {k.rpm_limit ? <span className="tag">{t('keys.tagRpm', { n: k.rpm_limit })}</span> : null}
                              {k.tpm_limit ? <span className="tag">{t('keys.tagTpm', { n: f.compact(k.tpm_limit) })}</span> : null}
                              {k.budget_usd ? <span className="tag">{t('keys.tagBudget', { v: f.usd(k.budget_usd), p: t(`keys.per.${k.budget_period ?? 'total'}`) })}</span> : null}
                            </div>
                          ) : (
                            <span className="muted">{t('keys.unrestricted')}</span>
                          )}
                        </td>
                        <td className="num hide-sm">
                          <div>{t('overview.nRequests', { n: f.int(u?.requests ?? 0) })}</div>
                          <div className="small muted">
                            {f.compact(u?.total_tokens ?? 0)} {t('usage.tokens')} · {f.usd(u?.cost_usd ?? 0)}
                          </div>
                        </td>
                        <td className="hide-md small">{k.last_used_at ? f.relative(k.last_used_at) : <span className="muted">{t('keys.never')}</span>}</td>
                        <td className="actions">
                          {live ? (
                            <>
                              <Switch checked={k.enabled} onChange={() => void pause.run(k)} label={k.enabled ? t('keys.pause', { name: k.name }) : t('keys.resume', { name: k.name })} />
                              <Button size="sm" variant="ghost" icon="edit" onClick={() => setDialog({ editing: k })}>
                                {t('common.edit')}
                              </Button>
                              <Button size="sm" variant="ghost" onClick={() => setRevoking(k)} aria-label={t('keys.revokeLabel', { name: k.name })}>
                                {t('keys.revoke')}
                              </Button>
                            </>
                          ) : null}
                        </td>
                      </tr>
                      {isOpen ? (
                        <tr className="row-detail">
                          <td colSpan={isAdmin ? 8 : 7}>
                            <KeyUsage k={k} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {rows.length === 0 ? <p className="muted pad">{t('keys.noMatch')}</p> : null}
        </div>
      )}
      {dialog ? (
        <KeyDialog
          key={dialog.editing?.id ?? 'new'}
          editing={dialog.editing}
          onClose={() => {
            setDialog(null);
            if (query.get('new')) update({ new: null });
          }}
          onSaved={(k) => {
            setDialog(null);
            keys.setData((d) => (d ? { ...d, keys: d.keys.map((x) => (x.id === k.id ? k : x)) } : d));
            toast(t('common.saved'));
          }}
          onCreated={(c) => {
            setDialog(null);
            // kept in memory for this visit so the playground can use it without pasting it back
            holdKey({ id: c.id, name: c.name, prefix: c.prefix, token: c.token, temporary: false });
            setCreated(c);
            keys.reload();
          }}
        />
      ) : null}
      {created ? <TokenReveal created={created} onClose={() => setCreated(null)} onUse={() => openInPlayground(created)} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        title={t('keys.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('keys.revoke')}
        busy={revoke.busy}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && void revoke.run(revoking)}
        error={revoke.error ? <ErrorNote error={revoke.error} compact /> : null}
      >
        {t('keys.revokeText')}
      </ConfirmDialog>
    </div>
  );
}

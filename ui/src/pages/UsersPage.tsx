/** Users (administrators only): create, edit role and details, disable, reset password, delete. */
import { useMemo, useState } from 'react';
import type { CreatedUser, Role, User } from '../api/types.js';
import { useSession } from '../app/session.js';
import { ConfirmDialog, Dialog } from '../components/dialog.js';
import { Icon } from '../components/icons.js';
import { Badge, Button, CopyButton, EmptyState, ErrorNote, Field, Input, Loading, PageHeader, SecretInput, Select, fieldError } from '../components/ui.js';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/index.js';
import { useAction, useLoad } from '../lib/hooks.js';

interface UserDraft {
  username: string;
  display_name: string;
  email: string;
  role: Role;
  password: string;
}

function UserDialog({ editing, onClose, onSaved, onCreated }: { editing: User | null; onClose(): void; onSaved(u: User): void; onCreated(u: CreatedUser): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const [d, setD] = useState<UserDraft>(() =>
    editing
      ? { username: editing.username, display_name: editing.display_name ?? '', email: editing.email ?? '', role: editing.role, password: '' }
      : { username: '', display_name: '', email: '', role: 'user', password: '' },
  );
  const [problems, setProblems] = useState<Partial<Record<keyof UserDraft, string>>>({});
  const save = useAction(async () => {
    const pr: Partial<Record<keyof UserDraft, string>> = {};
    if (d.username.trim().length < 3) pr.username = t('users.usernameRule');
    if (d.password && d.password.length < 8) pr.password = t('users.passwordRule');
    if (d.email.trim() && !/^[^\s@]+@[^\s@]+$/.test(d.email.trim())) pr.email = t('users.emailRule');
    setProblems(pr);
    if (Object.keys(pr).length) return;
    const body = {
      username: d.username.trim(),
      display_name: d.display_name.trim() || null,
      email: d.email.trim() || null,
      role: d.role,
    };
    if (editing) onSaved(await api.updateUser(editing.id, body));
    else onCreated(await api.createUser({ ...body, ...(d.password ? { password: d.password } : {}) }));
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={editing ? t('users.editTitle', { name: editing.username }) : t('users.newTitle')}
      busy={save.busy}
      onSubmit={() => void save.run()}
      footer={
        <>
          <Button onClick={onClose} disabled={save.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            {editing ? t('common.save') : t('users.create')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <div className="grid-form">
          <Field label={t('account.username')} hint={t('users.usernameRule')} error={problems.username ?? fieldError(save.error, 'username')}>
            {(p) => <Input {...p} value={d.username} onChange={(e) => setD({ ...d, username: e.target.value })} autoCapitalize="none" spellCheck={false} autoFocus />}
          </Field>
          <Field label={t('users.role')}>
            {(p) => (
              <Select {...p} value={d.role} onChange={(e) => setD({ ...d, role: e.target.value as Role })}>
                <option value="user">{t('role.user')}</option>
                <option value="admin">{t('role.admin')}</option>
              </Select>
            )}
          </Field>
          <Field label={t('users.displayName')} optional error={fieldError(save.error, 'display_name')}>
            {(p) => <Input {...p} value={d.display_name} onChange={(e) => setD({ ...d, display_name: e.target.value })} />}
          </Field>
          <Field label={t('users.email')} optional error={problems.email ?? fieldError(save.error, 'email')}>
            {(p) => <Input {...p} type="email" value={d.email} onChange={(e) => setD({ ...d, email: e.target.value })} />}
          </Field>
        </div>
        <p className="hint">{d.role === 'admin' ? t('users.adminRole') : t('users.userRole')}</p>
        {editing ? null : (
          <Field label={t('auth.password')} optional hint={t('users.passwordHint')} error={problems.password ?? fieldError(save.error, 'password')}>
            {(p) => <SecretInput {...p} value={d.password} onChange={(e) => setD({ ...d, password: e.target.value })} autoComplete="new-password" />}
          </Field>
        )}
        {save.error && !fieldError(save.error, 'username', 'email', 'display_name', 'password', 'role') ? <ErrorNote error={save.error} compact /> : null}
      </div>
    </Dialog>
  );
}

/** A readable random password (no look-alike characters). */
export function randomPassword(length = 16): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => chars[b % chars.length]).join('');
}

function ResetDialog({ user, onClose }: { user: User; onClose(): void }) {
  const { t } = useI18n();
  const { api } = useSession();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reset = useAction(async () => {
    const pw = password || randomPassword();
    if (pw.length < 8) {
      setProblem(t('users.passwordRule'));
      return;
    }
    setProblem(null);
    await api.updateUser(user.id, { password: pw });
    setDone(pw);
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('users.resetTitle', { name: user.username })}
      description={done ? undefined : t('users.resetDesc')}
      busy={reset.busy}
      onSubmit={done ? onClose : () => void reset.run()}
      footer={
        done ? (
          <Button type="submit" variant="primary">
            {t('common.done')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={reset.busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={reset.busy}>
              {t('users.reset')}
            </Button>
          </>
        )
      }
    >
      {done ? (
        <div className="stack">
          <div className="note note-success" role="status">
            <Icon name="check" /> {t('users.resetDone', { name: user.username })}
          </div>
          <div className="secret-box">
            <div className="secret-label">{t('users.newPassword')}</div>
            <code className="secret-value">{done}</code>
            <CopyButton text={done} size="sm" />
          </div>
        </div>
      ) : (
        <div className="stack">
          <Field label={t('users.newPassword')} optional hint={t('users.resetHint')} error={problem ?? fieldError(reset.error, 'password')}>
            {(p) => <SecretInput {...p} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />}
          </Field>
          {reset.error && !fieldError(reset.error, 'password') ? <ErrorNote error={reset.error} compact /> : null}
        </div>
      )}
    </Dialog>
  );
}

export function UsersPage() {
  const { t, f } = useI18n();
  const { api, info } = useSession();
  const toast = useToast();
  const users = useLoad(() => api.listUsers(), [api]);
  const [dialog, setDialog] = useState<{ editing: User | null } | null>(null);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [search, setSearch] = useState('');
  const toggle = useAction(async (u: User) => {
    const nu = await api.updateUser(u.id, { enabled: !u.enabled });
    users.setData((d) => (d ? { ...d, data: d.data.map((x) => (x.id === u.id ? nu : x)) } : d));
    toast(nu.enabled ? t('users.enabledToast', { name: nu.username }) : t('users.disabledToast', { name: nu.username }));
  });
  const del = useAction(async (u: User) => {
    await api.deleteUser(u.id);
    setDeleting(null);
    users.reload();
    toast(t('users.deletedToast', { name: u.username }));
  });
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = users.data?.data ?? [];
    return q ? all.filter((u) => [u.username, u.email ?? '', u.display_name ?? ''].some((s) => s.toLowerCase().includes(q))) : all;
  }, [users.data, search]);

  return (
    <div className="page">
      <PageHeader
        title={t('users.title')}
        description={t('users.desc')}
        actions={
          <Button variant="primary" icon="plus" onClick={() => setDialog({ editing: null })}>
            {t('users.new')}
          </Button>
        }
      />
      {users.error ? <ErrorNote error={users.error} onRetry={users.reload} /> : null}
      {toggle.error ? <ErrorNote error={toggle.error} /> : null}
      <div className="toolbar">
        <label className="search">
          <Icon name="search" />
          <span className="sr-only">{t('users.search')}</span>
          <input className="input" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('users.search')} />
        </label>
      </div>
      {users.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <div className="card">
          <EmptyState icon="users" title={t('users.noMatch')} />
        </div>
      ) : (
        <div className="card card-flush">
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('users.user')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.status')}</th>
                  <th scope="col" className="hide-sm">
                    {t('users.created')}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => {
                  const self = u.id === info?.user?.id;
                  return (
                    <tr key={u.id} className={u.enabled ? '' : 'row-muted'}>
                      <td>
                        <div className="cell-main">
                          <span className="avatar" aria-hidden="true">
                            {(u.display_name ?? u.username).slice(0, 1).toUpperCase()}
                          </span>
                          <div>
                            <strong>{u.display_name ?? u.username}</strong> {self ? <Badge tone="accent">{t('users.you')}</Badge> : null}
                            <div className="small muted">
                              {u.username}
                              {u.email ? ` · ${u.email}` : ''}
                            </div>
                          </div>
                        </div>
                      </td>
                      <td>
                        <Badge tone={u.role === 'admin' ? 'accent' : 'neutral'}>{u.role === 'admin' ? t('role.admin') : t('role.user')}</Badge>
                      </td>
                      <td>
                        <Badge tone={u.enabled ? 'success' : 'neutral'} dot>
                          {u.enabled ? t('common.enabled') : t('common.disabled')}
                        </Badge>
                      </td>
                      <td className="hide-sm small">{f.relative(u.created_at)}</td>
                      <td className="actions">
                        <Button size="sm" variant="ghost" icon="edit" onClick={() => setDialog({ editing: u })}>
                          {t('common.edit')}
                        </Button>
                        <Button size="sm" variant="ghost" icon="lock" onClick={() => setResetting(u)}>
                          {t('users.reset')}
                        </Button>
                        {!self ? (
                          <>
                            <Button size="sm" variant="ghost" busy={toggle.busy} onClick={() => void toggle.run(u)}>
                              {u.enabled ? t('users.disable') : t('users.enable')}
                            </Button>
                            <Button size="sm" variant="ghost" icon="trash" onClick={() => setDeleting(u)} aria-label={t('users.deleteLabel', { name: u.username })}>
                              {t('common.delete')}
                            </Button>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {dialog ? (
        <UserDialog
          key={dialog.editing?.id ?? 'new'}
          editing={dialog.editing}
          onClose={() => setDialog(null)}
          onSaved={(u) => {
            setDialog(null);
            users.setData((d) => (d ? { ...d, data: d.data.map((x) => (x.id === u.id ? u : x)) } : d));
            toast(t('common.saved'));
          }}
          onCreated={(u) => {
            setDialog(null);
            users.reload();
            if (u.password) setCreated(u);
            else toast(t('users.createdToast', { name: u.username }));
          }}
        />
      ) : null}
      {created ? (
        <Dialog open onClose={() => setCreated(null)} title={t('users.createdTitle', { name: created.username })} footer={<Button variant="primary" onClick={() => setCreated(null)}>{t('common.done')}</Button>}>
          <div className="stack">
            <p>{t('users.createdText')}</p>
            <div className="secret-box">
              <div className="secret-label">{t('users.newPassword')}</div>
              <code className="secret-value">{created.password}</code>
              <CopyButton text={created.password ?? ''} size="sm" />
            </div>
          </div>
        </Dialog>
      ) : null}
      {resetting ? <ResetDialog user={resetting} onClose={() => setResetting(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t('users.deleteTitle', { name: deleting?.username ?? '' })}
        confirmLabel={t('common.delete')}
        busy={del.busy}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && void del.run(deleting)}
        error={del.error ? <ErrorNote error={del.error} compact /> : null}
      >
        {t('users.deleteText')}
      </ConfirmDialog>
    </div>
  );
}

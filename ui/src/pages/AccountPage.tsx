/** The signed-in operator: profile, password, language and theme, sign-out everywhere. */
import { useState } from 'react';
import { useSession } from '../app/session.js';
import { useTheme, type ThemeMode } from '../app/theme.js';
import { Badge, Button, Card, ErrorNote, Field, Input, KeyValues, PageHeader, SecretInput, Segmented, fieldError } from '../components/ui.js';
import { useToast } from '../components/toast.js';
import { useI18n, type Lang } from '../i18n/index.js';
import { useAction } from '../lib/hooks.js';

export function AccountPage() {
  const { t, f, lang, setLang } = useI18n();
  const { mode, setMode } = useTheme();
  const { api, info, refreshMe, logout } = useSession();
  const toast = useToast();
  const user = info?.user ?? null;
  const [name, setName] = useState(user?.display_name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [pwProblem, setPwProblem] = useState<string | null>(null);
  const profile = useAction(async () => {
    await api.updateProfile({ display_name: name.trim() || null, email: email.trim() || null });
    await refreshMe();
    toast(t('common.saved'));
  });
  const password = useAction(async () => {
    if (next.length < 8) return setPwProblem(t('users.passwordRule'));
    if (next !== again) return setPwProblem(t('account.mismatch'));
    setPwProblem(null);
    await api.changePassword(current, next);
    setCurrent('');
    setNext('');
    setAgain('');
    toast(t('account.passwordChanged'));
  });

  return (
    <div className="page">
      <PageHeader title={t('account.title')} description={t('account.desc')} />
      <div className="grid-2">
        <Card title={t('account.profile')}>
          {user ? (
            <form
              className="stack"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void profile.run();
              }}
            >
              <KeyValues
                items={[
                  [t('account.username'), <span className="mono">{user.username}</span>],
                  [t('users.role'), <Badge tone={user.role === 'admin' ? 'accent' : 'neutral'}>{user.role === 'admin' ? t('role.admin') : t('role.user')}</Badge>],
                  [t('users.created'), f.dateTime(user.created_at)],
                ]}
              />
              <Field label={t('users.displayName')} optional error={fieldError(profile.error, 'display_name')}>
                {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
              </Field>
              <Field label={t('users.email')} optional error={fieldError(profile.error, 'email')}>
                {(p) => <Input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
              </Field>
              {profile.error && !fieldError(profile.error, 'display_name', 'email') ? <ErrorNote error={profile.error} compact /> : null}
              <div className="row end">
                <Button type="submit" variant="primary" busy={profile.busy}>
                  {t('common.save')}
                </Button>
              </div>
            </form>
          ) : (
            <p className="muted">{t('account.adminToken')}</p>
          )}
        </Card>
        {user ? (
          <Card title={t('account.password')} subtitle={t('account.passwordSub')}>
            <form
              className="stack"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void password.run();
              }}
            >
              <Field label={t('account.current')} error={fieldError(password.error, 'current_password')}>
                {(p) => <SecretInput {...p} value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />}
              </Field>
              <Field label={t('account.new')} hint={t('users.passwordRule')} error={pwProblem ?? fieldError(password.error, 'new_password')}>
                {(p) => <SecretInput {...p} value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />}
              </Field>
              <Field label={t('account.again')}>
                {(p) => <SecretInput {...p} value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />}
              </Field>
              {password.error && !fieldError(password.error, 'current_password', 'new_password') ? <ErrorNote error={password.error} compact /> : null}
              <div className="row end">
                <Button type="submit" variant="primary" busy={password.busy}>
                  {t('account.change')}
                </Button>
              </div>
            </form>
          </Card>
        ) : null}
        <Card title={t('account.preferences')}>
          <div className="stack">
            <div className="field">
              <span className="label">{t('account.language')}</span>
              <Segmented<Lang>
                label={t('account.language')}
                value={lang}
                onChange={setLang}
                options={[
                  { value: 'en', label: 'English' },
                  { value: 'zh', label: '简体中文' },
                ]}
              />
            </div>
            <div className="field">
              <span className="label">{t('account.theme')}</span>
              <Segmented<ThemeMode>
                label={t('account.theme')}
                value={mode}
                onChange={setMode}
                options={[
                  { value: 'system', label: t('theme.system') },
                  { value: 'light', label: t('theme.light') },
                  { value: 'dark', label: t('theme.dark') },
                ]}
              />
            </div>
          </div>
        </Card>
        <Card title={t('account.sessions')}>
          <div className="stack">
            <p className="muted">{t('account.sessionsText')}</p>
            <div className="row gap">
              <Button icon="logout" onClick={() => void logout(false)}>
                {t('auth.signOut')}
              </Button>
              {user ? (
                <Button variant="danger" onClick={() => void logout(true)}>
                  {t('account.signOutAll')}
                </Button>
              ) : null}
            </div>
          </div>
        </Card>
      </div>
    </div>
  );
}

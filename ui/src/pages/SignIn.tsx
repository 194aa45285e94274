/** Sign-in, and the first-run page that creates the first administrator. */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { CreatedUser } from '../api/types.js';
import { LanguageSwitch, Logo, ThemeToggle } from '../app/Layout.js';
import { Link, navigate } from '../app/router.js';
import { useSession } from '../app/session.js';
import { Icon } from '../components/icons.js';
import { Button, CopyButton, ErrorNote, Field, Input, SecretInput, fieldError } from '../components/ui.js';
import { useAction } from '../lib/hooks.js';
import { useI18n } from '../i18n/index.js';

function AuthFrame({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth">
      <div className="auth-top">
        <LanguageSwitch />
        <ThemeToggle />
      </div>
      <div className="auth-panel">
        <div className="auth-brand">
          <Logo />
          <div>
            <div className="auth-name">APIProxy</div>
            <div className="auth-tag">{t('auth.tagline')}</div>
          </div>
        </div>
        {children}
      </div>
      <p className="auth-foot">{t('auth.footer')}</p>
    </div>
  );
}

export function SignInPage({ expired }: { expired: boolean }) {
  const { t } = useI18n();
  const { login, loginWithAdminToken } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [useToken, setUseToken] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);
  const act = useAction(async () => {
    if (useToken) await loginWithAdminToken(token.trim());
    else await login(username.trim(), password);
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (useToken ? !token.trim() : !username.trim() || !password) {
      setMissing(useToken ? 'token' : !username.trim() ? 'username' : 'password');
      return;
    }
    setMissing(null);
    void act.run();
  };

  return (
    <AuthFrame>
      <h1 className="auth-title">{t('auth.signInTitle')}</h1>
      <p className="auth-sub">{t('auth.signInSub')}</p>
      {expired ? (
        <div className="note note-info" role="status">
          <Icon name="clock" /> {t('auth.expired')}
        </div>
      ) : null}
      <form onSubmit={submit} noValidate className="stack">
        {useToken ? (
          <Field label={t('auth.adminToken')} hint={t('auth.adminTokenHint')} error={missing === 'token' ? t('auth.required') : null}>
            {(p) => <SecretInput {...p} value={token} onChange={(e) => setToken(e.target.value)} autoFocus />}
          </Field>
        ) : (
          <>
            <Field label={t('auth.username')} error={missing === 'username' ? t('auth.required') : fieldError(act.error, 'username', 'email')}>
              {(p) => (
                <Input {...p} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus />
              )}
            </Field>
            <Field label={t('auth.password')} error={missing === 'password' ? t('auth.required') : fieldError(act.error, 'password')}>
              {(p) => <SecretInput {...p} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />}
            </Field>
          </>
        )}
        {act.error && !fieldError(act.error, 'username', 'email', 'password') ? <ErrorNote error={act.error} compact /> : null}
        <Button type="submit" variant="primary" busy={act.busy} className="btn-block">
          {t('auth.signIn')}
        </Button>
      </form>
      <div className="auth-alt">
        <button type="button" className="link-btn" onClick={() => setUseToken((u) => !u)}>
          {useToken ? t('auth.usePassword') : t('auth.useToken')}
        </button>
      </div>
      <div className="auth-help">
        <Icon name="info" />
        <div>
          <strong>{t('auth.firstTime')}</strong> {t('auth.firstTimeText')}{' '}
          <Link to="/setup">{t('auth.setupLink')}</Link>
        </div>
      </div>
    </AuthFrame>
  );
}

export function FirstRunPage() {
  const { t } = useI18n();
  const { api, login } = useSession();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const create = useAction(async () => {
    const u = await api.initAdmin({ username: username.trim() || 'admin', ...(password ? { password } : {}) });
    setCreated(u);
    return u;
  });
  const enter = useAction(async () => {
    if (!created) return;
    await login(created.username, created.password ?? password);
    navigate('/');
  });
  const already = create.error?.status === 409;

  return (
    <AuthFrame>
      <h1 className="auth-title">{t('setup.title')}</h1>
      {created ? (
        <div className="stack">
          <div className="note note-success" role="status">
            <Icon name="check" /> {t('setup.created', { name: created.username })}
          </div>
          {created.password ? (
            <div className="secret-box">
              <div className="secret-label">{t('setup.generated')}</div>
              <code className="secret-value">{created.password}</code>
              <CopyButton text={created.password} size="sm" />
            </div>
          ) : null}
          {enter.error ? <ErrorNote error={enter.error} compact /> : null}
          <Button variant="primary" className="btn-block" busy={enter.busy} onClick={() => void enter.run()}>
            {t('setup.continue')}
          </Button>
        </div>
      ) : (
        <>
          <p className="auth-sub">{t('setup.sub')}</p>
          <div className="note note-info">
            <Icon name="info" />
            <div>{t('setup.printed')}</div>
          </div>
          <form
            className="stack"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void create.run();
            }}
          >
            <Field label={t('account.username')} error={fieldError(create.error, 'username')}>
              {(p) => <Input {...p} value={username} onChange={(e) => setUsername(e.target.value)} autoCapitalize="none" spellCheck={false} />}
            </Field>
            <Field label={t('auth.password')} optional hint={t('setup.passwordHint')} error={fieldError(create.error, 'password')}>
              {(p) => <SecretInput {...p} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />}
            </Field>
            {already ? (
              <div className="note note-warning" role="alert">
                <Icon name="alert" />
                <div>
                  {t('setup.exists')} <Link to="/">{t('setup.toSignIn')}</Link>
                </div>
              </div>
            ) : create.error && !fieldError(create.error, 'username', 'password') ? (
              <ErrorNote error={create.error} compact />
            ) : null}
            <Button type="submit" variant="primary" busy={create.busy} className="btn-block">
              {t('setup.create')}
            </Button>
          </form>
          <div className="auth-alt">
            <Link to="/">{t('setup.back')}</Link>
          </div>
        </>
      )}
    </AuthFrame>
  );
}

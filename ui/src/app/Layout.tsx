/** The frame around every signed-in page: sidebar navigation, top bar, language and theme. */
import { useEffect, useState, type ReactNode } from 'react';
import { Icon, type IconName } from '../components/icons.js';
import { useI18n, type MessageKey } from '../i18n/index.js';
import { Link, useLocation } from './router.js';
import { useSession } from './session.js';
import { useTheme, type ThemeMode } from './theme.js';

interface NavItem {
  to: string;
  label: MessageKey;
  icon: IconName;
  admin?: boolean;
}

const GROUPS: Array<{ label: MessageKey; items: NavItem[] }> = [
  {
    label: 'nav.group.monitor',
    items: [
      { to: '/', label: 'nav.overview', icon: 'overview' },
      { to: '/logs', label: 'nav.logs', icon: 'logs' },
    ],
  },
  {
    label: 'nav.group.configure',
    items: [
      { to: '/providers', label: 'nav.providers', icon: 'providers', admin: true },
      { to: '/models', label: 'nav.models', icon: 'models', admin: true },
      { to: '/keys', label: 'nav.keys', icon: 'keys' },
      { to: '/users', label: 'nav.users', icon: 'users', admin: true },
    ],
  },
  {
    label: 'nav.group.try',
    items: [{ to: '/playground', label: 'nav.playground', icon: 'playground' }],
  },
];

function active(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" style={{ fill: 'var(--accent)' }} />
      <path d="M8 11h7l4 5-4 5H8" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx="23.5" cy="16" r="2.6" fill="#c7d2fe" />
    </svg>
  );
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'zh' ? 'en' : 'zh';
  return (
    <button
      type="button"
      className="top-btn"
      onClick={() => setLang(other)}
      aria-label={t('lang.switchTo', { lang: other === 'zh' ? '简体中文' : 'English' })}
      title={t('lang.switchTo', { lang: other === 'zh' ? '简体中文' : 'English' })}
      lang={other === 'zh' ? 'zh-CN' : 'en'}
    >
      <Icon name="globe" />
      <span>{other === 'zh' ? '中文' : 'EN'}</span>
    </button>
  );
}

const NEXT_THEME: Record<ThemeMode, ThemeMode> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_ICON: Record<ThemeMode, IconName> = { system: 'monitor', light: 'sun', dark: 'moon' };

export function ThemeToggle() {
  const { mode, setMode } = useTheme();
  const { t } = useI18n();
  const label = t('theme.current', { mode: t(`theme.${mode}`) });
  return (
    <button type="button" className="top-btn" onClick={() => setMode(NEXT_THEME[mode])} aria-label={`${label}. ${t('theme.change')}`} title={label}>
      <Icon name={THEME_ICON[mode]} />
    </button>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const { info, isAdmin, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  const name = info?.user ? (info.user.display_name ?? info.user.username) : 'ADMIN_API_KEY';

  return (
    <div className={`shell ${menuOpen ? 'menu-open' : ''}`}>
      <button
        type="button"
        className="skip-link"
        onClick={() => {
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </button>
      <aside className="sidebar" id="sidebar" aria-label={t('nav.label')}>
        <div className="sidebar-inner">
        <div className="brand">
          <Logo />
          <span className="brand-name">APIProxy</span>
        </div>
        <nav className="nav" aria-label={t('nav.label')}>
          {GROUPS.map((g) => {
            const items = g.items.filter((it) => !it.admin || isAdmin);
            if (items.length === 0) return null;
            return (
              <div key={g.label} className="nav-group">
                <div className="nav-group-label">{t(g.label)}</div>
                {items.map((it) => (
                  <Link key={it.to} to={it.to} className={`nav-item ${active(path, it.to) ? 'active' : ''}`} aria-current={active(path, it.to) ? 'page' : undefined}>
                    <Icon name={it.icon} />
                    <span>{t(it.label)}</span>
                  </Link>
                ))}
              </div>
            );
          })}
        </nav>
        <div className="sidebar-foot">
          <Link to="/account" className={`user-chip ${active(path, '/account') ? 'active' : ''}`}>
            <span className="avatar" aria-hidden="true">
              {name.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-chip-text">
              <span className="user-chip-name">{name}</span>
              <span className="user-chip-role">{info?.role === 'admin' ? t('role.admin') : t('role.user')}</span>
            </span>
          </Link>
          <button type="button" className="icon-btn" onClick={() => void logout()} aria-label={t('auth.signOut')} title={t('auth.signOut')}>
            <Icon name="logout" />
          </button>
        </div>
        </div>
      </aside>
      <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" />
      <div className="main-col">
        <header className="topbar">
          <button
            type="button"
            className="top-btn menu-btn"
            aria-label={t('nav.menu')}
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <Icon name="menu" />
          </button>
          <div className="topbar-brand">
            <Logo />
            <span className="brand-name">APIProxy</span>
          </div>
          <div className="topbar-spacer" />
          <a className="top-btn hide-sm" href="/docs" target="_blank" rel="noreferrer">
            <Icon name="external" />
            <span>{t('nav.apiDocs')}</span>
          </a>
          <LanguageSwitch />
          <ThemeToggle />
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

/** The console: providers around the page that the address names. */
import { useEffect, type ReactNode } from 'react';
import { ToastProvider } from '../components/toast.js';
import { EmptyState, Loading } from '../components/ui.js';
import { I18nProvider, useI18n } from '../i18n/index.js';
import { AccountPage } from '../pages/AccountPage.js';
import { ApiKeysPage } from '../pages/keys/ApiKeysPage.js';
import { RequestLogPage } from '../pages/logs/RequestLogPage.js';
import { LogicalModelDetailPage } from '../pages/models/LogicalModelDetail.js';
import { LogicalModelsPage } from '../pages/models/LogicalModelsPage.js';
import { OverviewPage } from '../pages/Overview.js';
import { PlaygroundPage } from '../pages/PlaygroundPage.js';
import { ProviderDetailPage } from '../pages/providers/ProviderDetail.js';
import { ProvidersPage } from '../pages/providers/ProvidersPage.js';
import { FirstRunPage, SignInPage } from '../pages/SignIn.js';
import { UsersPage } from '../pages/UsersPage.js';
import { Layout } from './Layout.js';
import { Link, matchPath, useLocation } from './router.js';
import { SessionProvider, useSession } from './session.js';
import { ThemeProvider } from './theme.js';
import type { ApiClient } from '../api/client.js';
import type { Lang } from '../i18n/index.js';

function AdminOnly({ children }: { children: ReactNode }) {
  const { isAdmin } = useSession();
  const { t } = useI18n();
  if (isAdmin) return <>{children}</>;
  return (
    <div className="page">
      <EmptyState icon="lock" title={t('error.adminOnly')} action={<Link to="/">{t('nav.overview')}</Link>}>
        {t('error.adminOnlyText')}
      </EmptyState>
    </div>
  );
}

function Page() {
  const { path } = useLocation();
  const { t } = useI18n();
  let m: Record<string, string> | null;
  if (path === '/' || path === '/setup') return <OverviewPage />;
  if (path === '/providers') return <AdminOnly><ProvidersPage /></AdminOnly>;
  if ((m = matchPath('/providers/:id', path))) return <AdminOnly><ProviderDetailPage key={m.id} id={m.id!} /></AdminOnly>;
  if (path === '/models') return <AdminOnly><LogicalModelsPage /></AdminOnly>;
  if ((m = matchPath('/models/:id', path))) return <AdminOnly><LogicalModelDetailPage key={m.id} id={m.id!} /></AdminOnly>;
  if (path === '/keys') return <ApiKeysPage />;
  if (path === '/users') return <AdminOnly><UsersPage /></AdminOnly>;
  if (path === '/logs') return <RequestLogPage openId={null} />;
  if ((m = matchPath('/logs/:id', path))) return <RequestLogPage openId={m.id!} />;
  if (path === '/playground') return <PlaygroundPage />;
  if (path === '/account') return <AccountPage />;
  return (
    <div className="page">
      <EmptyState icon="info" title={t('error.pageNotFound')} action={<Link to="/">{t('nav.overview')}</Link>}>
        {t('error.pageNotFoundText', { path })}
      </EmptyState>
    </div>
  );
}

function Gate() {
  const { state } = useSession();
  const { path } = useLocation();
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('app.title')} · APIProxy`;
  }, [t]);
  if (state.status === 'loading') {
    return (
      <div className="boot">
        <Loading label={t('app.starting')} />
      </div>
    );
  }
  if (state.status === 'signed-out') {
    if (path === '/setup') return <FirstRunPage />;
    return <SignInPage expired={state.reason === 'expired'} />;
  }
  return (
    <Layout>
      <Page />
    </Layout>
  );
}

export function App({ client, lang }: { client?: ApiClient; lang?: Lang }) {
  return (
    <I18nProvider {...(lang ? { lang } : {})}>
      <ThemeProvider>
        <ToastProvider>
          <SessionProvider {...(client ? { client } : {})}>
            <Gate />
          </SessionProvider>
        </ToastProvider>
      </ThemeProvider>
    </I18nProvider>
  );
}

/** The first steps of a new gateway, ticked off as they are done (administrators). */
import { Link } from '../app/router.js';
import { useSession } from '../app/session.js';
import { Icon } from '../components/icons.js';
import { Card } from '../components/ui.js';
import { useI18n, type MessageKey } from '../i18n/index.js';
import { useLoad } from '../lib/hooks.js';

interface Step {
  done: boolean;
  title: MessageKey;
  text: MessageKey;
  to: string;
}

export function SetupChecklist({ providers }: { providers: number | undefined }) {
  const { t } = useI18n();
  const { api } = useSession();
  const state = useLoad(async () => {
    const [models, keys, logs] = await Promise.all([
      api.listLogicalModels(),
      api.listApiKeys({ userId: null, all: true }, false),
      api.requestLogs({ limit: 1 }),
    ]);
    return { models: models.total, keys: keys.total, requests: logs.data.length };
  }, [api, providers]);
  const s = state.data;
  if (!s || providers === undefined) return null;
  const steps: Step[] = [
    { done: providers > 0, title: 'setup.step1', text: 'setup.step1Text', to: '/providers?add=1' },
    { done: s.models > 0, title: 'setup.step2', text: 'setup.step2Text', to: '/models?new=1' },
    { done: s.keys > 0, title: 'setup.step3', text: 'setup.step3Text', to: '/keys?new=1' },
    { done: s.requests > 0, title: 'setup.step4', text: 'setup.step4Text', to: '/playground' },
  ];
  if (steps.every((x) => x.done)) return null;
  return (
    <Card title={t('setup.checklist')} subtitle={t('setup.checklistSub')}>
      <ol className="checklist">
        {steps.map((x, i) => (
          <li key={x.title}>
            <Link to={x.to} className={`check-step ${x.done ? 'done' : ''}`}>
              <span className="step-num" aria-hidden="true">
                {x.done ? <Icon name="check" /> : i + 1}
              </span>
              <span>
                <span className="step-title">{t(x.title)}</span>
                {x.done ? <span className="sr-only"> ({t('setup.stepDone')})</span> : null}
                <span className="step-text">
                  {t(x.text)}
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </Card>
  );
}

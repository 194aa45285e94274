/** One request in a side panel: outcome, timings, tokens, cost, attempts, and bodies when logged. */
import type { RequestLogDetail } from '../../api/types.js';
import { Link } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { Dialog } from '../../components/dialog.js';
import { Badge, CopyButton, ErrorNote, KeyValues, Loading } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { useLoad } from '../../lib/hooks.js';
import { statusTone } from '../../lib/status.js';

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Timing({ d }: { d: RequestLogDetail }) {
  const { t, f } = useI18n();
  const total = Math.max(1, d.latency_ms);
  const ttfb = d.ttfb_ms ?? null;
  return (
    <div className="timing">
      <div className="timing-bar" role="img" aria-label={t('logs.timingLabel', { ttfb: f.ms(ttfb), total: f.ms(d.latency_ms) })}>
        {ttfb !== null ? <span className="timing-wait" style={{ width: `${Math.min(100, (100 * ttfb) / total)}%` }} /> : null}
        <span className="timing-rest" />
      </div>
      <div className="timing-legend small">
        {ttfb !== null ? (
          <span>
            <span className="swatch timing-wait" /> {t('logs.ttfb')}: {f.ms(ttfb)}
          </span>
        ) : null}
        <span>
          <span className="swatch timing-rest" /> {t('logs.total')}: {f.ms(d.latency_ms)}
        </span>
      </div>
    </div>
  );
}

export function RequestDetail({ id, onClose, keyName }: { id: string; onClose(): void; keyName(id: string | null): string | null }) {
  const { t, f } = useI18n();
  const { api } = useSession();
  const detail = useLoad(() => api.requestLog(id), [api, id]);
  const d = detail.data;
  const u = d?.usage;
  return (
    <Dialog open onClose={onClose} wide title={t('logs.detailTitle')} description={<span className="mono small">{id}</span>}>
      {detail.error ? <ErrorNote error={detail.error} onRetry={detail.reload} /> : null}
      {!d ? (
        detail.error ? null : <Loading />
      ) : (
        <div className="stack">
          <div className="detail-head">
            <Badge tone={statusTone(d.status)}>{d.status}</Badge>
            {d.partial ? <Badge tone="warning">{t('logs.partial')}</Badge> : null}
            {d.estimated ? <Badge tone="info">{t('logs.estimated')}</Badge> : null}
            <span className="mono">{d.model ?? '—'}</span>
            <span className="muted">→</span>
            <span>
              {d.provider_id ?? '—'} {d.upstream_model ? <span className="mono muted">({d.upstream_model})</span> : null}
            </span>
          </div>
          {d.error ? (
            <div className="note note-danger">
              <div className="wrap">{d.error}</div>
            </div>
          ) : null}
          <Timing d={d} />
          <div className="grid-2">
            <KeyValues
              items={[
                [t('logs.time'), f.dateTime(d.ts)],
                [t('logs.route'), <span className="mono">{d.route}</span>],
                [t('logs.stream'), d.stream ? t('common.yes') : t('common.no')],
                [t('logs.key'), keyName(d.api_key_id) ?? '—'],
                [t('logs.attempts'), String(d.attempts)],
                d.session_id ? [t('logs.session'), <span className="mono">{d.session_id}</span>] : null,
                d.client_ip ? [t('logs.clientIp'), <span className="mono">{d.client_ip}</span>] : null,
              ]}
            />
            <KeyValues
              items={[
                [t('usage.input'), f.int(u?.input_tokens)],
                [t('usage.cacheRead'), f.int(u?.cache_read_tokens)],
                [t('usage.cacheWrite'), f.int(u?.cache_write_tokens)],
                [t('usage.output'), f.int(u?.output_tokens)],
                [t('usage.reasoning'), f.int(u?.reasoning_tokens)],
                [t('logs.cost'), d.cost_usd === null ? t('logs.noPrice') : f.usd(d.cost_usd)],
              ]}
            />
          </div>
          <section>
            <h3 className="section-title">{t('logs.attempts')}</h3>
            {d.attempt_records.length === 0 ? (
              <p className="muted small">{t('logs.noAttempts')}</p>
            ) : (
              <ol className="attempts">
                {d.attempt_records.map((a, i) => (
                  <li key={i} className={a.error || (a.status !== null && a.status >= 400) ? 'failed' : 'ok'}>
                    <div className="attempt-head">
                      <strong>{t('logs.attemptN', { n: i + 1 })}</strong>
                      <Link to={`/providers/${encodeURIComponent(a.provider_id)}`}>{a.provider_id}</Link>
                      <span className="mono small">{a.model}</span>
                      {a.status !== null ? <Badge tone={statusTone(a.status)}>{a.status}</Badge> : <Badge tone="danger">{t('logs.noAnswer')}</Badge>}
                      <span className="small muted">
                        {f.ms(a.ms)}
                        {a.ttfb_ms ? ` · ${t('providers.ttfbShort', { v: f.ms(a.ttfb_ms) })}` : ''}
                      </span>
                    </div>
                    {a.error ? <div className="small wrap text-danger">{a.error}</div> : null}
                    {a.usage ? (
                      <div className="small muted">
                        {t('logs.attemptUsage', { i: a.usage.input + a.usage.cache_read + a.usage.cache_write, o: a.usage.output + a.usage.reasoning })}
                        {a.cost_usd ? ` · ${f.usd(a.cost_usd)}` : ''}
                      </div>
                    ) : null}
                    {a.key_id ? <div className="small muted mono">{t('logs.providerKey', { id: a.key_id.slice(0, 8) })}</div> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section>
            <h3 className="section-title">{t('logs.bodies')}</h3>
            {d.request_body === null && d.response_body === null ? (
              <p className="muted small">{t('logs.noBodies')}</p>
            ) : (
              <div className="stack">
                {d.request_body !== null ? (
                  <div>
                    <div className="row between center">
                      <span className="small strong">{t('logs.requestBody')}</span>
                      <CopyButton text={d.request_body} size="sm" />
                    </div>
                    <pre className="code">{pretty(d.request_body)}</pre>
                  </div>
                ) : null}
                {d.response_body !== null ? (
                  <div>
                    <div className="row between center">
                      <span className="small strong">{t('logs.responseBody')}</span>
                      <CopyButton text={d.response_body} size="sm" />
                    </div>
                    <pre className="code">{pretty(d.response_body)}</pre>
                  </div>
                ) : null}
              </div>
            )}
          </section>
        </div>
      )}
    </Dialog>
  );
}

/**
 * Playground: chat with any model through the gateway, streamed, with the client API key the
 * operator chooses. Shows which provider answered (x-apiproxy-provider), the usage and the timings,
 * and links each answer to its request-log entry.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiError } from '../api/client.js';
import { listClientModels, streamChat, type ChatMessage, type ChatResult } from '../api/chat-stream.js';
import type { ApiKey } from '../api/types.js';
import { Link, useLocation } from '../app/router.js';
import { useSession, type HeldKey } from '../app/session.js';
import { Icon } from '../components/icons.js';
import { Badge, Button, Card, ErrorNote, Field, IconButton, Input, PageHeader, SecretInput, Select, Textarea } from '../components/ui.js';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/index.js';
import { toApiError, useAction, useLoad } from '../lib/hooks.js';

export const PLAYGROUND_KEY_NAME = 'Playground (temporary)';

interface Turn {
  id: number;
  user: string;
  reply: string;
  pending: boolean;
  result: ChatResult | null;
  startInfo: { provider: string | null; upstreamModel: string | null; requestId: string | null } | null;
  error: ApiError | null;
  model: string;
}

let turnId = 1;

function KeyPicker({ current, onPick }: { current: HeldKey | null; onPick(k: HeldKey | null): void }) {
  const { t } = useI18n();
  const { api, info, heldKeys, holdKey, isAdmin } = useSession();
  const toast = useToast();
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  const create = useAction(async () => {
    const me = info?.user?.id ?? null;
    // one temporary key per user: the previous one (whose token this page no longer holds) is revoked
    const existing = await api.listApiKeys({ userId: me, all: me === null }, false);
    const old: ApiKey[] = existing.data.filter((k) => k.name === PLAYGROUND_KEY_NAME && k.user_id === me);
    for (const k of old) await api.revokeApiKey(k, isAdmin);
    const expires_at = new Date(Date.now() + 86_400_000).toISOString();
    const c = await api.createApiKey(me, { name: PLAYGROUND_KEY_NAME, expires_at }, me === null);
    const held: HeldKey = { id: c.id, name: c.name, prefix: c.prefix, token: c.token, temporary: true };
    holdKey(held);
    onPick(held);
    toast(old.length ? t('play.tempReplaced') : t('play.tempCreated'));
  });
  return (
    <div className="stack-sm">
      <Field label={t('play.key')} hint={current?.temporary ? t('play.tempHint') : heldKeys.length === 0 ? t('play.keyHint') : undefined}>
        {(p) => (
          <Select
            {...p}
            value={current?.token ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              if (v === '__paste') {
                setPasting(true);
                return;
              }
              onPick(heldKeys.find((k) => k.token === v) ?? null);
            }}
          >
            <option value="">{t('play.chooseKey')}</option>
            {heldKeys.map((k) => (
              <option key={k.token} value={k.token}>
                {k.name} ({k.prefix}…){k.temporary ? ` · ${t('play.temporary')}` : ''}
              </option>
            ))}
            <option value="__paste">{t('play.pasteOption')}</option>
          </Select>
        )}
      </Field>
      {pasting ? (
        <form
          className="row gap end-items"
          onSubmit={(e) => {
            e.preventDefault();
            const token = pasted.trim();
            if (!token) return;
            const held: HeldKey = { id: null, name: t('play.pastedName'), prefix: token.slice(0, 12), token, temporary: false };
            holdKey(held);
            onPick(held);
            setPasted('');
            setPasting(false);
          }}
        >
          <Field label={t('play.pasteLabel')} className="grow">
            {(p) => <SecretInput {...p} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="sk-apx-…" autoFocus />}
          </Field>
          <Button type="submit" variant="secondary">
            {t('play.useKey')}
          </Button>
        </form>
      ) : null}
      <div className="row gap wrap">
        <Button size="sm" icon="sparkles" busy={create.busy} onClick={() => void create.run()}>
          {t('play.createTemp')}
        </Button>
        {!pasting ? (
          <Button size="sm" variant="ghost" onClick={() => setPasting(true)}>
            {t('play.pasteKey')}
          </Button>
        ) : null}
      </div>
      {create.error ? <ErrorNote error={create.error} compact /> : null}
    </div>
  );
}

function TurnView({ turn }: { turn: Turn }) {
  const { t, f } = useI18n();
  const r = turn.result;
  const provider = r?.provider ?? turn.startInfo?.provider ?? null;
  const upstream = r?.upstreamModel ?? turn.startInfo?.upstreamModel ?? null;
  const requestId = r?.requestId ?? turn.startInfo?.requestId ?? turn.error?.requestId ?? null;
  return (
    <div className="turn">
      <div className="bubble bubble-user">
        <div className="bubble-who">{t('play.you')}</div>
        <div className="bubble-text">{turn.user}</div>
      </div>
      <div className={`bubble bubble-assistant ${turn.error ? 'bubble-error' : ''}`} aria-busy={turn.pending}>
        <div className="bubble-who">
          <Icon name="sparkles" /> {turn.model}
          {provider ? (
            <span className="via" data-testid="answered-by">
              {t('play.via')} <strong>{provider}</strong>
              {upstream ? <span className="mono"> · {upstream}</span> : null}
            </span>
          ) : null}
        </div>
        {turn.error && !turn.reply ? (
          <ErrorNote error={turn.error} compact />
        ) : (
          <div className="bubble-text" data-testid="reply">
            {turn.reply}
            {turn.pending ? <span className="caret-blink" aria-hidden="true" /> : null}
          </div>
        )}
        {turn.pending && !turn.reply && !turn.error ? <div className="muted small">{provider ? t('play.waitingFirst') : t('play.connecting')}</div> : null}
        {r?.error ? <div className="field-error">{t('play.streamError', { msg: r.error })}</div> : null}
        {r ? (
          <div className="turn-meta" data-testid="turn-meta">
            {r.usage ? (
              <span title={t('play.tokensTitle')}>
                {t('play.tokens', { i: f.int(r.usage.prompt_tokens), o: f.int(r.usage.completion_tokens) })}
              </span>
            ) : null}
            {r.ttftMs !== null ? <span>{t('play.ttft', { v: f.ms(r.ttftMs) })}</span> : null}
            <span>{t('play.total', { v: f.ms(r.totalMs) })}</span>
            {r.attempts && r.attempts > 1 ? <Badge tone="warning">{t('logs.attemptsN', { n: r.attempts })}</Badge> : null}
            {r.finishReason && r.finishReason !== 'stop' ? <Badge tone="warning">{r.finishReason}</Badge> : null}
            {requestId ? (
              <Link to={`/logs/${encodeURIComponent(requestId)}`} className="meta-link">
                {t('play.openLog')}
              </Link>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

export function PlaygroundPage() {
  const { t } = useI18n();
  const { heldKeys } = useSession();
  const { query } = useLocation();
  const [key, setKey] = useState<HeldKey | null>(() => heldKeys.find((k) => k.id === query.get('key')) ?? heldKeys[0] ?? null);
  const [model, setModel] = useState(query.get('model') ?? '');
  const [system, setSystem] = useState('');
  const [showSystem, setShowSystem] = useState(false);
  const [temperature, setTemperature] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const [input, setInput] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const abortRef = useRef<AbortController | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const models = useLoad((signal) => listClientModels(key?.token ?? '', '', signal), [key?.token], { enabled: key !== null });
  useEffect(() => {
    const list = models.data ?? [];
    if (list.length && !model) setModel(list[0]!);
  }, [models.data, model]);
  useEffect(() => () => abortRef.current?.abort(), []);
  useEffect(() => {
    // follow the newest message (not on an empty page: that would scroll past the settings)
    if (turns.length > 0) endRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [turns]);
  const busy = turns.some((x) => x.pending);

  const send = async () => {
    const text = input.trim();
    if (!text || !key || !model.trim() || busy) return;
    const id = turnId++;
    const history: ChatMessage[] = [];
    if (system.trim()) history.push({ role: 'system', content: system.trim() });
    for (const x of turns) {
      if (x.error || !x.reply) continue;
      history.push({ role: 'user', content: x.user }, { role: 'assistant', content: x.reply });
    }
    history.push({ role: 'user', content: text });
    setTurns((ts) => [...ts, { id, user: text, reply: '', pending: true, result: null, startInfo: null, error: null, model: model.trim() }]);
    setInput('');
    const patch = (p: Partial<Turn>) => setTurns((ts) => ts.map((x) => (x.id === id ? { ...x, ...p } : x)));
    const ac = new AbortController();
    abortRef.current = ac;
    try {
      const temp = temperature.trim() ? Number(temperature) : undefined;
      const max = maxTokens.trim() ? Number(maxTokens) : undefined;
      const result = await streamChat({
        apiKey: key.token,
        model: model.trim(),
        messages: history,
        signal: ac.signal,
        ...(temp !== undefined && Number.isFinite(temp) ? { temperature: temp } : {}),
        ...(max !== undefined && Number.isInteger(max) && max > 0 ? { maxTokens: max } : {}),
        onStart: (info) => patch({ startInfo: info }),
        onText: (_d, soFar) => patch({ reply: soFar }),
      });
      patch({ pending: false, result, reply: result.text });
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') patch({ pending: false, error: null, result: null });
      else patch({ pending: false, error: toApiError(err) });
    } finally {
      if (abortRef.current === ac) abortRef.current = null;
    }
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div className="page page-wide">
      <PageHeader title={t('play.title')} description={t('play.desc')} />
      <div className="playground">
        <Card className="play-settings" title={t('play.settings')}>
          <div className="stack">
            <KeyPicker
              current={key}
              onPick={(k) => {
                setKey(k);
                setModel(query.get('model') ?? '');
              }}
            />
            <Field
              label={t('play.model')}
              hint={models.error ? undefined : key ? t('play.modelHint', { n: models.data?.length ?? 0 }) : t('play.modelNeedsKey')}
              error={models.error ? models.error.message : null}
            >
              {(p) => (
                <>
                  <Input {...p} list="play-models" value={model} onChange={(e) => setModel(e.target.value)} placeholder={t('play.modelPlaceholder')} spellCheck={false} disabled={!key} />
                  <datalist id="play-models">
                    {(models.data ?? []).map((m) => (
                      <option key={m} value={m} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <button type="button" className="disclosure" aria-expanded={showSystem} onClick={() => setShowSystem((s) => !s)}>
              <span className={`caret ${showSystem ? 'open' : ''}`} aria-hidden="true">
                ▸
              </span>
              {t('play.options')}
            </button>
            {showSystem ? (
              <div className="stack">
                <Field label={t('play.system')} optional>
                  {(p) => <Textarea {...p} rows={3} value={system} onChange={(e) => setSystem(e.target.value)} placeholder={t('play.systemPlaceholder')} />}
                </Field>
                <div className="grid-form">
                  <Field label={t('play.temperature')} optional>
                    {(p) => <Input {...p} value={temperature} onChange={(e) => setTemperature(e.target.value)} inputMode="decimal" placeholder="1.0" />}
                  </Field>
                  <Field label={t('play.maxTokens')} optional>
                    {(p) => <Input {...p} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} inputMode="numeric" />}
                  </Field>
                </div>
              </div>
            ) : null}
          </div>
        </Card>
        <section className="card chat" aria-label={t('play.conversation')}>
          <div className="chat-log" aria-live="polite">
            {turns.length === 0 ? (
              <div className="chat-empty">
                <Icon name="playground" />
                <h3>{key ? t('play.emptyTitle') : t('play.noKeyTitle')}</h3>
                <p>{key ? t('play.emptyText') : t('play.noKeyText')}</p>
              </div>
            ) : (
              turns.map((turn) => <TurnView key={turn.id} turn={turn} />)
            )}
            <div ref={endRef} />
          </div>
          <form
            className="composer"
            onSubmit={(e) => {
              e.preventDefault();
              void send();
            }}
          >
            <label htmlFor="play-input" className="sr-only">
              {t('play.message')}
            </label>
            <textarea
              id="play-input"
              className="input composer-input"
              rows={2}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onKeyDown={onKey}
              placeholder={key ? t('play.placeholder') : t('play.placeholderNoKey')}
              disabled={!key}
            />
            <div className="composer-actions">
              {turns.length > 0 && !busy ? <IconButton icon="trash" label={t('play.clear')} onClick={() => setTurns([])} /> : null}
              {busy ? (
                <Button icon="stop" onClick={() => abortRef.current?.abort()}>
                  {t('play.stop')}
                </Button>
              ) : (
                <Button type="submit" variant="primary" icon="send" disabled={!key || !model.trim() || !input.trim()}>
                  {t('play.send')}
                </Button>
              )}
            </div>
          </form>
        </section>
      </div>
    </div>
  );
}

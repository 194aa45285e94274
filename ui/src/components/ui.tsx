/** The console's building blocks: buttons, fields, badges, cards, empty and error states. */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import type { ApiError } from '../api/client.js';
import { useI18n, type Translate } from '../i18n/index.js';
import { Icon, type IconName } from './icons.js';

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export function Button({
  variant = 'secondary',
  size,
  icon,
  busy,
  children,
  className,
  disabled,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: 'sm'; icon?: IconName; busy?: boolean }) {
  return (
    <button
      type={type}
      className={['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? ''].filter(Boolean).join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <Spinner /> : icon ? <Icon name={icon} /> : null}
      {children !== undefined ? <span>{children}</span> : null}
    </button>
  );
}

/** A square button with only an icon: `label` is its accessible name and tooltip. */
export function IconButton({ icon, label, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { icon: IconName; label: string }) {
  return (
    <button type="button" className={`icon-btn ${className ?? ''}`} aria-label={label} title={label} {...rest}>
      <Icon name={icon} />
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role={label ? 'status' : undefined} aria-label={label} />;
}

/** Label, control, hint and the error that belongs to this control. */
export function Field({
  label,
  hint,
  error,
  children,
  id,
  optional,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
  id?: string;
  optional?: boolean;
  className?: string;
}) {
  const auto = useId();
  const fid = id ?? `f${auto.replace(/:/g, '')}`;
  const hintId = hint ? `${fid}-hint` : undefined;
  const errId = error ? `${fid}-err` : undefined;
  const described = [hintId, errId].filter(Boolean).join(' ') || undefined;
  const { t } = useI18n();
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={fid}>
        {label}
        {optional ? <span className="optional"> {t('common.optional')}</span> : null}
      </label>
      {children({ id: fid, ...(described ? { 'aria-describedby': described } : {}), ...(error ? { 'aria-invalid': true } : {}) })}
      {hint ? (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={errId} role="alert">
          <Icon name="alert" /> {error}
        </div>
      ) : null}
    </div>
  );
}

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input className="input" {...props} />;
}

export function Textarea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className="input textarea" {...props} />;
}

export function Select({ children, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div className="select-wrap">
      <select className="input select" {...props}>
        {children}
      </select>
      <Icon name="chevronDown" className="icon select-caret" />
    </div>
  );
}

/** A password field with a show/hide toggle. */
export function SecretInput({ id, ...props }: InputHTMLAttributes<HTMLInputElement> & { id: string }) {
  const [shown, setShown] = useState(false);
  const { t } = useI18n();
  return (
    <div className="input-group">
      <input className="input" id={id} type={shown ? 'text' : 'password'} autoComplete="off" spellCheck={false} {...props} />
      <IconButton icon={shown ? 'eyeOff' : 'eye'} label={shown ? t('common.hide') : t('common.show')} onClick={() => setShown((s) => !s)} />
    </div>
  );
}

export function Switch({
  checked,
  onChange,
  label,
  disabled,
  id,
}: {
  checked: boolean;
  onChange(v: boolean): void;
  label: string;
  disabled?: boolean;
  id?: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      id={id}
      aria-checked={checked}
      aria-label={label}
      title={label}
      className={`switch ${checked ? 'on' : ''}`}
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="knob" />
    </button>
  );
}

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info' | 'accent';

export function Badge({ tone = 'neutral', children, dot, title }: { tone?: Tone; children: ReactNode; dot?: boolean; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {dot ? <span className="badge-dot" aria-hidden="true" /> : null}
      {children}
    </span>
  );
}

export function Card({ title, actions, children, className, subtitle }: { title?: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {title || actions ? (
        <header className="card-head">
          <div>
            {title ? <h2 className="card-title">{title}</h2> : null}
            {subtitle ? <p className="card-sub">{subtitle}</p> : null}
          </div>
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // after navigation, put the keyboard (and screen reader) focus on the page's title
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <header className="page-head">
      <div>
        <h1 tabIndex={-1} ref={ref}>
          {title}
        </h1>
        {description ? <p className="page-desc">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function EmptyState({ icon, title, children, action }: { icon: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-icon">
        <Icon name={icon} />
      </div>
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

/** A readable title for an API error in the operator's language; the server's message follows it. */
export function errorTitle(t: Translate, err: ApiError): string {
  if (err.network) return t('error.network');
  if (err.status === 401) return t('error.401');
  if (err.status === 403) return t('error.403');
  if (err.status === 404) return t('error.404');
  if (err.status === 409) return t('error.409');
  if (err.status === 429) return t('error.429');
  if (err.status >= 500) return t('error.5xx');
  return t('error.400');
}

export function ErrorNote({ error, onRetry, compact }: { error: ApiError | null; onRetry?: () => void; compact?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className={`error-note ${compact ? 'compact' : ''}`} role="alert">
      <Icon name="alert" />
      <div className="error-text">
        <strong>{errorTitle(t, error)}</strong>
        {!error.network ? <span> {error.message}</span> : null}
        {error.requestId ? <span className="muted small"> ({t('error.requestId', { id: error.requestId })})</span> : null}
      </div>
      {onRetry ? (
        <Button size="sm" variant="ghost" icon="refresh" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </div>
  );
}

/** The message for one field when the server named it (`param`), else null. */
export function fieldError(err: ApiError | null, ...params: string[]): string | null {
  if (!err || err.param === null) return null;
  return params.some((p) => err.param === p || err.param?.startsWith(`${p}.`) || err.param?.startsWith(`${p}[`)) ? err.message : null;
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading">
      <Spinner label={label ?? t('common.loading')} />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function CopyButton({ text, label, size }: { text: string; label?: string; size?: 'sm' }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const id = window.setTimeout(() => setCopied(false), 1800);
    return () => window.clearTimeout(id);
  }, [copied]);
  return (
    <Button
      size={size}
      variant="secondary"
      icon={copied ? 'check' : 'copy'}
      onClick={() => {
        void copyText(text).then((ok) => setCopied(ok));
      }}
      aria-live="polite"
    >
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
    </Button>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // without the Clipboard API (plain http on another host): select-and-copy fallback
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

export function Segmented<T extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: Array<{ value: T; label: string }>;
  onChange(v: T): void;
  label: string;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          className={o.value === value ? 'active' : ''}
          onClick={() => onChange(o.value)}
          onKeyDown={(e) => {
            const i = options.findIndex((x) => x.value === value);
            if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
              e.preventDefault();
              onChange(options[(i + 1) % options.length]!.value);
            } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
              e.preventDefault();
              onChange(options[(i - 1 + options.length) % options.length]!.value);
            }
          }}
          tabIndex={o.value === value ? 0 : -1}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Tabs<T extends string>({
  value,
  tabs,
  onChange,
  label,
}: {
  value: T;
  tabs: Array<{ value: T; label: ReactNode }>;
  onChange(v: T): void;
  label: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          id={`tab-${tab.value}`}
          aria-selected={tab.value === value}
          aria-controls={`panel-${tab.value}`}
          tabIndex={tab.value === value ? 0 : -1}
          className={tab.value === value ? 'active' : ''}
          onClick={() => onChange(tab.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') onChange(tabs[(i + 1) % tabs.length]!.value);
            if (e.key === 'ArrowLeft') onChange(tabs[(i - 1 + tabs.length) % tabs.length]!.value);
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function KeyValues({ items }: { items: Array<[ReactNode, ReactNode] | null | false> }) {
  return (
    <dl className="kv">
      {items.filter((x): x is [ReactNode, ReactNode] => Array.isArray(x)).map(([k, v], i) => (
        <div key={i} className="kv-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A small stat tile: label, value, an optional note and a sparkline. */
export function Stat({ label, value, note, children, tone }: { label: string; value: ReactNode; note?: ReactNode; children?: ReactNode; tone?: Tone }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {note ? <div className="stat-note">{note}</div> : null}
      {children}
    </div>
  );
}

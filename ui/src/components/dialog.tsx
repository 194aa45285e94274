/**
 * Modal dialogs on the native <dialog> element: it traps the keyboard focus, closes on Escape and
 * makes the page behind it inert. `onClose` runs for Escape, the close button and a click on
 * the backdrop (unless the dialog is busy).
 */
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import { Button, IconButton } from './ui.js';

export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  wide,
  onSubmit,
  busy,
}: {
  open: boolean;
  onClose(): void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** render the body as a form; Enter submits */
  onSubmit?: () => void;
  busy?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useI18n();
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [open]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const cancel = (e: Event) => {
      e.preventDefault();
      if (!busyRef.current) closeRef.current();
    };
    d.addEventListener('cancel', cancel);
    return () => d.removeEventListener('cancel', cancel);
  }, []);

  const body = (
    <>
      <header className="dialog-head">
        <div>
          <h2 id={titleId}>{title}</h2>
          {description ? <p className="dialog-desc">{description}</p> : null}
        </div>
        <IconButton icon="x" label={t('common.close')} onClick={() => !busy && onClose()} />
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-foot">{footer}</footer> : null}
    </>
  );

  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onMouseDown={(e) => {
        if (e.target === ref.current && !busy) onClose();
      }}
    >
      {open ? (
        onSubmit ? (
          <form
            className="dialog-form"
            noValidate
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (!busy) onSubmit();
            }}
          >
            {body}
          </form>
        ) : (
          body
        )
      ) : null}
    </dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  danger = true,
  error,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onClose(): void;
  busy?: boolean;
  danger?: boolean;
  error?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      busy={busy ?? false}
      onSubmit={onConfirm}
      footer={
        <>
          <Button onClick={onClose} disabled={busy} autoFocus>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy ?? false}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="confirm-text">{children}</div>
      {error}
    </Dialog>
  );
}

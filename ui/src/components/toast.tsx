/** Short confirmations ("Provider saved") in a polite live region at the corner of the screen. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Icon } from './icons.js';

interface Toast {
  id: number;
  text: string;
  tone: 'success' | 'error' | 'info';
}

type Show = (text: string, tone?: Toast['tone']) => void;
const Ctx = createContext<Show>(() => undefined);
let next = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback<Show>((text, tone = 'success') => {
    const id = next++;
    setToasts((xs) => [...xs.slice(-3), { id, text, tone }]);
    window.setTimeout(() => setToasts((xs) => xs.filter((x) => x.id !== id)), tone === 'error' ? 7000 : 3500);
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <Ctx.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast toast-${x.tone}`}>
            <Icon name={x.tone === 'error' ? 'alert' : x.tone === 'info' ? 'info' : 'check'} />
            <span>{x.text}</span>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export function useToast(): Show {
  return useContext(Ctx);
}

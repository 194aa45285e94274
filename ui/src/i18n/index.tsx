/**
 * Two languages, one dictionary each (en.ts is the reference; zh.ts must have every key, the
 * compiler checks). The browser's language decides at first; the switch remembers the choice in
 * localStorage ("apiproxy.lang").
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatters, type Formatters } from '../lib/format.js';
import { en, type MessageKey } from './en.js';
import { zh } from './zh.js';

export type Lang = 'en' | 'zh';
export type { MessageKey };
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, zh };
const STORAGE_KEY = 'apiproxy.lang';

export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  // "{n} requests" has a "….one" sibling for a count of 1 where the language needs it
  if (vars !== undefined && String(vars.n) === '1') {
    const one = `${key}.one`;
    if (one in en) return interpolate(DICTS[lang][one as MessageKey], vars);
  }
  return interpolate(DICTS[lang][key] ?? en[key] ?? key, vars);
}

/** The language to start with: the saved choice, else the browser's preference. */
export function initialLang(saved: string | null, browser: readonly string[]): Lang {
  if (saved === 'en' || saved === 'zh') return saved;
  for (const l of browser) {
    const x = l.toLowerCase();
    if (x.startsWith('zh')) return 'zh';
    if (x.startsWith('en')) return 'en';
  }
  return 'en';
}

function readSaved(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export interface I18n {
  lang: Lang;
  locale: string;
  setLang(lang: Lang): void;
  t: Translate;
  f: Formatters;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => forced ?? initialLang(readSaved(), navigator.languages ?? [navigator.language]));
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page */
    }
  }, []);
  const locale = lang === 'zh' ? 'zh-CN' : 'en';
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({ lang, locale, setLang, t: (key, vars) => translate(lang, key, vars), f: formatters(locale) }),
    [lang, locale, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

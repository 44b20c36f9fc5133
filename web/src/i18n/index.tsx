/**
 * One set of message catalogues for the console and the resident pages, and
 * the formatting of numbers, dates and money for the chosen language. Money
 * is formatted from integer fen (formatYuan), never divided into a float.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatYuan } from '../../../src/domain/money.ts';
import { bo } from './bo.ts';
import { en } from './en.ts';
import { zhCN, type Catalogue, type MessageKey } from './zh-CN.ts';

export const LANGUAGES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'bo', label: 'བོད་ཡིག' },
  { code: 'en', label: 'English' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const CATALOGUES: Record<Language, Catalogue> = { 'zh-CN': zhCN, bo, en };

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: MessageKey | string, params?: Params): string;
  has(key: string): boolean;
  /** Yuan with two decimals, from integer fen. */
  money(fen: number): string;
  num(n: number): string;
  date(value: string | Date): string;
  dateTime(value: string | Date): string;
  /** Basis points as a percentage, from the integer: 9250 → "92.5%". */
  percent(bp: number): string;
  /** Items joined with the language's own separator ("、" only in Chinese). */
  list(items: readonly string[]): string;
}

const LIST_SEPARATOR: Record<Language, string> = { 'zh-CN': '、', bo: '། ', en: ', ' };

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function makeI18n(lang: Language, setLang: (lang: Language) => void): I18n {
  const catalogue = CATALOGUES[lang];
  const numbers = new Intl.NumberFormat(lang);
  const dates = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const times = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    lang,
    setLang,
    t: (key, params) => interpolate((catalogue as Record<string, string>)[key] ?? (zhCN as Record<string, string>)[key] ?? key, params),
    has: (key) => key in catalogue,
    money: (fen) => {
      const yuan = formatYuan(fen);
      if (lang === 'zh-CN') return `¥${yuan}`;
      if (lang === 'bo') return `${yuan} སྒོར།`;
      return `CNY ${yuan}`;
    },
    num: (n) => numbers.format(n),
    // A bare ISO date is a calendar day: format it in UTC so it never shifts.
    date: (value) => {
      const d = typeof value === 'string' && value.length === 10 ? new Date(`${value}T00:00:00Z`) : new Date(value);
      // Browsers carry no Tibetan date patterns (they fall back to another language): write it out.
      if (lang === 'bo') return `སྤྱི་ལོ་${d.getUTCFullYear()} ཟླ་${d.getUTCMonth() + 1} ཚེས་${d.getUTCDate()}`;
      return dates.format(d);
    },
    dateTime: (value) => {
      const d = new Date(value);
      if (lang !== 'bo') return times.format(d);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `སྤྱི་ལོ་${d.getFullYear()} ཟླ་${d.getMonth() + 1} ཚེས་${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    },
    list: (items) => items.join(LIST_SEPARATOR[lang]),
    percent: (bp) => {
      const whole = Math.floor(bp / 100);
      const rest = bp % 100;
      return `${whole}${rest ? `.${String(rest).padStart(2, '0').replace(/0$/, '')}` : ''}%`;
    },
  };
}

const I18nContext = createContext<I18n>(makeI18n('zh-CN', () => undefined));

function initialLanguage(): Language {
  const stored = localStorage.getItem('sanbao.lang');
  if (stored && stored in CATALOGUES) return stored as Language;
  const browser = navigator.language;
  if (browser.startsWith('bo')) return 'bo';
  if (browser.startsWith('en')) return 'en';
  return 'zh-CN';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Language>(initialLanguage);
  useEffect(() => {
    localStorage.setItem('sanbao.lang', lang);
    document.documentElement.lang = lang;
    // The Tibetan font only for Tibetan readers (a dynamic import: its own CSS chunk, fetched on first use).
    if (lang === 'bo') void import('./tibetan-font.ts');
  }, [lang]);
  const value = useMemo(() => makeI18n(lang, setLang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);

/** Large type for the elderly: a class on <html>, remembered across visits. */
export function useLargeType(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => localStorage.getItem('sanbao.large') === '1');
  useEffect(() => {
    document.documentElement.classList.toggle('large', on);
    localStorage.setItem('sanbao.large', on ? '1' : '0');
  }, [on]);
  return [on, setOn];
}

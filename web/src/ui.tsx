/** Small shared pieces: a path router, data loading, the error box, language and large-type switches. */
import { useCallback, useEffect, useState, type ReactNode, type MouseEvent } from 'react';
import { MoneyError } from '../../src/domain/money.ts';
import { ApiError } from './api-client.ts';
import { LANGUAGES, useI18n, useLargeType, type Language } from './i18n/index.tsx';

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    addEventListener('sanbao:navigate', update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener('sanbao:navigate', update);
    };
  }, []);
  return path;
}

export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new Event('sanbao:navigate'));
  scrollTo(0, 0);
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const click = (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={click} className={className}>
      {children}
    </a>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/**
 * An action on a list's rows (disable, reset, rotate …): clears the last
 * refusal and what `clear` names (a secret shown once), runs, then reloads the
 * list; a refusal is kept for the ErrorBox. `setError` for a child form's own.
 */
export function useListAction(reload: () => void, clear?: () => void) {
  const [error, setError] = useState<unknown>();
  const act = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    clear?.();
    try {
      await fn();
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return { error, setError, act };
}

/** The server's refusal, in the reader's language, with the server's own words beneath. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t, has } = useI18n();
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  // An amount the reader typed that is not yuan never reached the server: say so in their words.
  const typed = error instanceof MoneyError;
  const key = api && has(`error.${api.code}`) ? `error.${api.code}` : typed ? 'error.INVALID_AMOUNT' : 'error.other';
  return (
    <div className="error" role="alert" data-status={api?.status} data-code={api?.code ?? (typed ? 'INVALID_AMOUNT' : undefined)}>
      <strong>
        {api ? `${api.status} · ` : ''}
        {t(key)}
      </strong>
      {typed ? null : <div className="error-detail">{api ? `${api.code}: ${api.message}` : String(error)}</div>}
    </div>
  );
}

export function Loading({ loaded }: { loaded: Loaded<unknown> }) {
  const { t } = useI18n();
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (loaded.loading && !loaded.data) return <p className="muted">{t('loading')}</p>;
  return null;
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      <span className="sr-only">{t('lang.label')}</span>
      <select aria-label={t('lang.label')} value={lang} onChange={(e) => setLang(e.target.value as Language)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function LargeTypeToggle() {
  const { t } = useI18n();
  const [on, setOn] = useLargeType();
  return (
    <button type="button" className={`toggle ${on ? 'on' : ''}`} aria-pressed={on} onClick={() => setOn(!on)} data-testid="large-type">
      {t('largeType')}
    </button>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

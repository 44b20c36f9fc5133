/**
 * One page for both audiences: /me is the resident self-service, everything
 * else the staff console. Each is its own chunk, loaded for its path only: a
 * resident on a phone never downloads the console (nor the chart library,
 * which the reports load when drawn, nor the Tibetan font unless Tibetan is
 * chosen: see i18n/index.tsx).
 */
import './styles.css';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/index.tsx';

const resident = location.pathname === '/me' || location.pathname.startsWith('/me/');
const App = resident
  ? lazy(() => import('./resident/ResidentApp.tsx').then((m) => ({ default: m.ResidentApp })))
  : lazy(() => import('./console/ConsoleApp.tsx').then((m) => ({ default: m.ConsoleApp })));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Suspense fallback={null}>
        <App />
      </Suspense>
    </I18nProvider>
  </StrictMode>,
);

/** One page for both audiences: /me is the resident self-service, everything else the staff console. */
import '@fontsource/noto-serif-tibetan/tibetan-400.css';
import '@fontsource/noto-serif-tibetan/tibetan-700.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './console/ConsoleApp.tsx';
import { I18nProvider } from './i18n/index.tsx';
import { ResidentApp } from './resident/ResidentApp.tsx';

const resident = location.pathname === '/me' || location.pathname.startsWith('/me/');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>{resident ? <ResidentApp /> : <ConsoleApp />}</I18nProvider>
  </StrictMode>,
);

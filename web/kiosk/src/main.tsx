// Entry point of the kiosk web app (served at /kiosk/).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@digital-go-jp/design-tokens/dist/tokens.css';
import './styles.css';
import { App } from './app.tsx';
import { readKioskOptions } from './kiosk-options.ts';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App options={readKioskOptions(window.location.search)} />
  </StrictMode>,
);

// The kiosk: state (reducer) + flow (card and centre calls) + the screen for the current state.
import { useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { createFlow } from './flow.ts';
import { i18nFor, I18n } from './i18n.ts';
import { initialState, inSession, reducer, type KioskState, type Screen as ScreenName } from './state.ts';
import type { KioskOptions } from './kiosk-options.ts';
import { KioskContext } from './components/kiosk-context.ts';
import { Header } from './components/header.tsx';
import { IdleWarning, useIdle } from './components/idle.tsx';
import { ClosedScreen, HomeScreen, ServicesScreen, UnavailableScreen } from './screens/start-screens.tsx';
import { CardScreen } from './screens/card-screen.tsx';
import { LockedScreen, PinScreen } from './screens/pin-screen.tsx';
import { ConfirmScreen, CopiesScreen, MunicipalityScreen, OptionsScreen, TypeScreen } from './screens/order-screens.tsx';
import { PaymentScreen } from './screens/payment-screen.tsx';
import { FatalScreen, PrintingScreen, ReceiptScreen, TakeScreen, TimedOutScreen } from './screens/finish-screens.tsx';
import { BusyScreen } from './screens/busy-screen.tsx';

const SCREENS: Record<Exclude<ScreenName, 'loading'>, () => ReactNode> = {
  closed: ClosedScreen, unavailable: UnavailableScreen, home: HomeScreen, services: ServicesScreen,
  card: CardScreen, pin: PinScreen, locked: LockedScreen,
  municipality: MunicipalityScreen, type: TypeScreen, options: OptionsScreen, copies: CopiesScreen, confirm: ConfirmScreen,
  payment: PaymentScreen, printing: PrintingScreen, take: TakeScreen, receipt: ReceiptScreen,
  fatal: FatalScreen, timedOut: TimedOutScreen,
};

export function App({ options }: { options: KioskOptions }) {
  const [state, dispatch] = useReducer(reducer, initialState);
  // The flow reads the state between its own dispatches, before React renders: a synchronous mirror
  // through the same pure reducer (every action goes through the flow) keeps it current.
  const mirror = useRef<KioskState>(initialState);
  const flow = useMemo(() => createFlow({
    options,
    dispatch: (action) => { mirror.current = reducer(mirror.current, action); dispatch(action); },
    getState: () => mirror.current,
  }), [options]);
  const i18n = useMemo(() => i18nFor(state.lang), [state.lang]);

  useEffect(() => { void flow.boot(); }, [flow]);
  useEffect(() => { document.documentElement.lang = state.lang; document.title = i18n.t.appTitle; }, [state.lang, i18n]);

  // The start and out-of-hours screens follow the centre's opening hours.
  const watchesHours = state.screen === 'home' || state.screen === 'closed' || state.screen === 'unavailable';
  useEffect(() => {
    if (!watchesHours) return;
    const timer = setInterval(() => void flow.checkAvailability(), options.pollMs);
    return () => clearInterval(timer);
  }, [watchesHours, flow, options.pollMs]);

  // Escape = Back, on every screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      flow.back();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flow]);

  // Printing and waiting for the card or the centre are not idleness.
  const secondsLeft = useIdle({
    enabled: inSession(state) && !state.busy && state.screen !== 'printing',
    idleMs: options.idleMs, warnMs: options.warnMs, resetKey: state.screen, onTimeout: () => void flow.timeout(),
  });

  const busy = state.busy ?? (state.screen === 'loading' ? 'loading' : null);
  const Current = state.screen === 'loading' ? null : SCREENS[state.screen];
  return (
    <I18n.Provider value={i18n}>
      <KioskContext.Provider value={{ state, flow, options }}>
        <div className="kiosk" inert={secondsLeft !== null}>
          <Header />
          {busy ? <BusyScreen key={`busy-${busy}`} message={i18n.t[busy] as string} /> : Current ? <Current key={state.screen} /> : null}
          <p className="sr-only" role="status">{busy ? (i18n.t[busy] as string) : ''}</p>
        </div>
        {secondsLeft !== null ? <IdleWarning secondsLeft={secondsLeft} /> : null}
      </KioskContext.Provider>
    </I18n.Provider>
  );
}

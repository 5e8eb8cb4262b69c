// The 4-digit PIN pad: on-screen keys and the keyboard (digits, Backspace, Enter); the digits are masked.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n.ts';
import { useKiosk } from '../components/kiosk-context.ts';
import { NoticeBox, Screen } from '../components/screen.tsx';

const PIN_LENGTH = 4;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function PinScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const [pin, setPin] = useState('');
  const add = (digit: string) => setPin((p) => (p.length < PIN_LENGTH ? p + digit : p));
  const remove = () => setPin((p) => p.slice(0, -1));
  const submit = () => {
    if (pin.length !== PIN_LENGTH) return;
    setPin('');
    void flow.enterPin(pin);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (/^[0-9]$/.test(e.key)) { e.preventDefault(); add(e.key); }
      else if (e.key === 'Backspace' || e.key === 'Delete') { e.preventDefault(); remove(); }
      // Enter confirms, except on a focused key that still has work to do (訂正, a digit before the 4th).
      else if (e.key === 'Enter') {
        const key = e.target instanceof HTMLButtonElement ? e.target : null;
        if (key && !(key.dataset['digit'] && pin.length === PIN_LENGTH)) return;
        e.preventDefault();
        submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const triesHint = state.pinTriesLeft !== null && state.pinTriesLeft < 3 && !state.notice ? t.pinTriesLeft(state.pinTriesLeft) : null;
  return (
    <Screen title={t.pinTitle} className="pin" ownNotice>
      <div className="pin-layout">
        <div className="pin-entry">
          <p className="lead">{t.pinHint}</p>
          <NoticeBox />
          <div className="pin-boxes" role="img" aria-label={t.pinEntered(pin.length)}>
            {Array.from({ length: PIN_LENGTH }, (_, i) => <span key={i} className={i < pin.length ? 'filled' : ''}>{i < pin.length ? '●' : ''}</span>)}
          </div>
          <p className="sr-only" aria-live="polite">{t.pinEntered(pin.length)}</p>
          {triesHint ? <p className="hint-warning">{triesHint}</p> : null}
        </div>
        <div className="keypad" role="group" aria-label={t.pinKeypad}>
          {KEYS.map((key) => <button key={key} type="button" className="key" data-digit={key} aria-label={t.pinDigit(key)} onClick={() => add(key)}>{key}</button>)}
          <button type="button" className="key key-delete" aria-label={t.pinDeleteLabel} aria-keyshortcuts="Backspace" onClick={remove}>{t.pinDelete}</button>
          <button type="button" className="key" data-digit="0" aria-label={t.pinDigit('0')} onClick={() => add('0')}>0</button>
          <button type="button" className="key key-submit" aria-disabled={pin.length !== PIN_LENGTH || undefined} aria-keyshortcuts="Enter" onClick={submit}>{t.pinSubmit}</button>
        </div>
      </div>
    </Screen>
  );
}

/** 0 tries left: the session cannot go on; the resident goes to the municipal counter. */
export function LockedScreen() {
  const { t } = useI18n();
  const { flow } = useKiosk();
  return (
    <Screen title={<><span>{t.pinLockedTitle}</span><span className="title-sub">{t.pinLockedAction}</span></>} className="stop"
      primary={{ label: t.finish, onClick: () => void flow.finish() }}>
      <p className="lead">{t.forgetCard}</p>
    </Screen>
  );
}

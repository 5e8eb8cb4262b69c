// The idle timeout: no input for a while → a warning with a countdown → the session ends (docs/issuance.md step 8).
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n.ts';

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Seconds left while the warning should show (null otherwise); calls `onTimeout` once when the time is up.
 * Any input, and every change of `resetKey` (a new screen), starts the time again.
 */
export function useIdle({ enabled, idleMs, warnMs, resetKey, onTimeout }: { enabled: boolean; idleMs: number; warnMs: number; resetKey: string; onTimeout(): void }): number | null {
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const timeout = useRef(onTimeout);
  timeout.current = onTimeout;

  useEffect(() => {
    setSecondsLeft(null);
    if (!enabled) return;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
      setSecondsLeft(null);
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, touch, { capture: true, passive: true });
    const timer = setInterval(() => {
      const remaining = idleMs - (Date.now() - last);
      if (remaining <= 0) {
        clearInterval(timer);
        setSecondsLeft(null);
        timeout.current();
      } else if (remaining <= warnMs) {
        setSecondsLeft(Math.ceil(remaining / 1000));
      }
    }, 200);
    return () => {
      clearInterval(timer);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, touch, { capture: true });
    };
  }, [enabled, idleMs, warnMs, resetKey]);

  return secondsLeft;
}

/** The warning: a modal alert dialog; pressing anything (Continue, Escape, a tap) keeps the session. */
export function IdleWarning({ secondsLeft }: { secondsLeft: number }) {
  const { t } = useI18n();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    button.current?.focus();
    return () => { if (before?.isConnected) before.focus(); };
  }, []);
  return (
    <div className="overlay">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); } }}>
        <h2 id="idle-title">{t.idleTitle}</h2>
        <p id="idle-body">{t.idleBody(secondsLeft)}</p>
        <button ref={button} type="button" className="button primary">{t.idleContinue}</button>
      </div>
    </div>
  );
}

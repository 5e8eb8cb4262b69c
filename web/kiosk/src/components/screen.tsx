// The frame of every screen: its heading (focused when the screen appears, so a screen reader reads it),
// the current notice (announced), the content, and Back / Cancel at the bottom.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n.ts';
import { cancellable, previousScreen } from '../state.ts';
import { useKiosk } from './kiosk-context.ts';

/** The main action of a screen: always in view at the bottom right (the screen above may scroll). */
export interface PrimaryAction { label: ReactNode; onClick(): void; disabled?: boolean }

export function Screen({ title, lead, children, className, primary, ownNotice }: {
  title: ReactNode;
  lead?: ReactNode;
  children?: ReactNode;
  className?: string;
  primary?: PrimaryAction | null;
  /** The screen shows the notice itself (<NoticeBox />) where it fits its layout. */
  ownNotice?: boolean;
}) {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const back = previousScreen(state);
  const showBack = back !== null && back !== 'cancel';
  const showCancel = cancellable(state);
  return (
    <>
      <main className={`screen ${className ?? ''}`} aria-labelledby="screen-title">
        <h1 id="screen-title" ref={heading} tabIndex={-1}>{title}</h1>
        {lead ? <p className="lead">{lead}</p> : null}
        {ownNotice ? null : <NoticeBox />}
        {children}
      </main>
      {showBack || showCancel || primary ? (
        <nav className="actions" aria-label={t.navigation}>
          <div className="actions-left">
            {showBack ? (
              <button type="button" className="button secondary" onClick={flow.back} aria-keyshortcuts="Escape">
                <span aria-hidden="true">←&nbsp;</span>{t.back}
              </button>
            ) : null}
            {showCancel ? <button type="button" className="button quiet" onClick={() => void flow.cancel()}>{t.cancel}</button> : null}
          </div>
          {primary ? (
            <button type="button" className="button primary" aria-disabled={primary.disabled || undefined}
              onClick={() => { if (!primary.disabled) primary.onClick(); }}>
              {primary.label}
            </button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

/** The current notice (an error, or what happened to the resident's money), announced when it appears. */
export function NoticeBox() {
  const { say } = useI18n();
  const { state } = useKiosk();
  return state.notice && state.screen !== 'fatal' ? <div role="alert" className="notice">{say(state.notice)}</div> : null;
}

/** A big choice button: a title and a line saying what it is. */
export function Tile({ title, hint, onClick, aside, disabled }: { title: ReactNode; hint?: ReactNode; aside?: ReactNode; disabled?: boolean; onClick(): void }) {
  // A refused choice stays focusable (aria-disabled) so its reason can be read and heard.
  return (
    <button type="button" className="tile" aria-disabled={disabled || undefined} onClick={onClick}>
      <span className="tile-title">{title}</span>
      {hint ? <span className="tile-hint">{hint}</span> : null}
      {aside ? <span className="tile-aside">{aside}</span> : null}
    </button>
  );
}

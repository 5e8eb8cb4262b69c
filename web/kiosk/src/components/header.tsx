// The bar on every screen: the store operator, the service, the language switch; during a session the steps.
import { useI18n } from '../i18n.ts';
import { inSession, type Screen } from '../state.ts';
import { useKiosk } from './kiosk-context.ts';

const STEP_OF: Partial<Record<Screen, number>> = {
  card: 0, pin: 1, locked: 1, municipality: 2, type: 2, options: 2, copies: 2, confirm: 2, payment: 3, printing: 4, take: 4, receipt: 4,
};

export function Header() {
  const { t, lang } = useI18n();
  const { state, flow } = useKiosk();
  const step = STEP_OF[state.screen];
  return (
    <>
      <header className="bar">
        <div className="brand">
          {state.operatorName ? <span className="operator">{state.operatorName}</span> : null}
          <span className="service">{t.appTitle}</span>
        </div>
        <button type="button" className="lang" lang={lang === 'ja' ? 'en' : 'ja'} aria-label={t.switchLanguageLabel} onClick={flow.language}>
          <span aria-hidden="true" className="lang-icon">文A</span> {t.switchLanguage}
        </button>
      </header>
      {inSession(state) && step !== undefined ? (
        <ol className="steps" aria-label={t.stepsLabel}>
          {t.steps.map((name, i) => (
            <li key={name} className={i < step ? 'done' : i === step ? 'current' : ''} aria-current={i === step ? 'step' : undefined}>
              <span className="step-no" aria-hidden="true">{i + 1}</span>{name}
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}

// After payment: printing, the reminder to take card and certificates, the receipt; and the ends of a session
// that did not get there (a fatal error, the idle timeout).
import { useEffect } from 'react';
import { useI18n } from '../i18n.ts';
import { useKiosk } from '../components/kiosk-context.ts';
import { Screen } from '../components/screen.tsx';
import { centreMessage } from '../messages.ts';

export function PrintingScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const printing = state.printing!;
  const waitingForCentre = printing.results !== null;
  return (
    <Screen title={t.printingTitle} lead={t.printingHint}
      primary={waitingForCentre && !printing.sending && state.notice ? { label: t.resend, onClick: () => void flow.sendPrintResults() } : null}>
      <div className="progress-block">
        <progress max={printing.total} value={printing.done} aria-labelledby="print-progress" />
        <p id="print-progress" className="center big" aria-live="polite">
          {waitingForCentre && printing.sending ? t.sendingResults : t.printingProgress(printing.done, printing.total)}
        </p>
      </div>
    </Screen>
  );
}

export function TakeScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const change = state.payment?.changeYen ?? 0;
  return (
    <Screen title={t.takeTitle} className="take" primary={{ label: t.took, onClick: flow.took }}>
      <div className="take-art" aria-hidden="true"><span className="card-shape small" /><span className="paper" /></div>
      {change > 0 ? <p className="lead strong center">{t.takeChange(change)}</p> : null}
    </Screen>
  );
}

export function ReceiptScreen() {
  const { t, lang } = useI18n();
  const { state, flow } = useKiosk();
  const receipt = state.receipt!;
  const place = typeof receipt.municipality === 'string' ? receipt.municipality : receipt.municipality.name;
  const failed = state.printing?.results?.filter((r) => !r.printed).length ?? 0;
  return (
    <Screen title={t.receiptTitle} lead={t.forgetCard} primary={{ label: t.finish, onClick: () => void flow.finish() }}>
      <dl className="summary receipt">
        <div><dt>{t.receiptNo}</dt><dd>{receipt.receiptNo}</dd></div>
        <div><dt>{t.municipality}</dt><dd>{place}</dd></div>
        {receipt.items.map((item, i) => <div key={i}><dt>{t.certificate}</dt><dd>{t.itemLine(item.title, item.copies, item.feePerCopyYen)}</dd></div>)}
        <div><dt>{t.paid}</dt><dd>{t.yen(receipt.paidYen)}</dd></div>
        {receipt.refundedYen > 0 ? <div><dt>{t.refunded}</dt><dd>{t.yen(receipt.refundedYen)}</dd></div> : null}
        <div><dt>{t.printedAt}</dt><dd>{t.when(receipt.printedAt)}</dd></div>
      </dl>
      {failed > 0 ? <p className="notice">{t.failedCopies(failed)}</p> : null}
      {state.documents.length > 0 ? (
        <ul className="documents">
          {state.documents.map(({ copy, url }) => (
            <li key={copy}><a href={url} target="_blank" rel="noreferrer" lang={lang}>{t.openPdf(copy)}</a></li>
          ))}
        </ul>
      ) : null}
    </Screen>
  );
}

/**
 * The session cannot go on: what happened and what to do (the kiosk's message for the centre's code, which
 * already names the next step, else the general hint), the money given back, and the card reminder.
 */
export function FatalScreen() {
  const { t, say } = useI18n();
  const { state, flow } = useKiosk();
  const notice = state.notice;
  const advised = notice !== null && ('key' in notice ? notice.key === 'insecure' : centreMessage(t, notice.code) !== undefined);
  // Money inserted but not paid (e.g. the session expired at 支払う) goes back to the resident.
  const returned = state.payment ? 0 : state.insertedYen;
  return (
    <Screen title={notice ? say(notice) : t.unexpected} lead={advised ? null : t.fatalHint} className="stop"
      primary={{ label: t.finish, onClick: () => void flow.finish() }}>
      {returned > 0 ? <p className="lead strong">{t.returned(returned)}</p> : null}
      <p className="lead strong">{t.forgetCard}</p>
    </Screen>
  );
}

export function TimedOutScreen() {
  const { t } = useI18n();
  const { flow, options: { reminderMs } } = useKiosk();
  useEffect(() => {
    const timer = setTimeout(() => void flow.finish(), reminderMs);
    return () => clearTimeout(timer);
  }, [flow, reminderMs]);
  return (
    <Screen title={t.forgetCard} lead={t.timedOutBody} className="stop"
      primary={{ label: t.toStart, onClick: () => void flow.finish() }} />
  );
}

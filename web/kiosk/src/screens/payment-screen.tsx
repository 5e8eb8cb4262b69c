// Cash payment (simulated): buttons insert coins and notes; the kiosk shows what is in and the change.
import { useI18n } from '../i18n.ts';
import { useKiosk } from '../components/kiosk-context.ts';
import { Screen } from '../components/screen.tsx';

const MONEY = [10, 50, 100, 500, 1000];

export function PaymentScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const total = state.order!.totalYen;
  const inserted = state.insertedYen;
  const enough = inserted >= total;
  return (
    <Screen title={t.paymentTitle} lead={t.payHint} primary={{ label: t.pay, disabled: !enough, onClick: () => void flow.pay() }}>
      <div className="payment">
        <dl className="summary money">
          <div className="total"><dt>{t.total}</dt><dd>{t.yen(total)}</dd></div>
          <div><dt>{t.inserted}</dt><dd aria-live="polite">{t.yen(inserted)}</dd></div>
          {enough
            ? <div className="change"><dt>{t.change}</dt><dd>{t.yen(inserted - total)}</dd></div>
            : <div className="shortage"><dt>{t.shortage}</dt><dd>{t.yen(total - inserted)}</dd></div>}
        </dl>
        <section aria-labelledby="money-title" className="coins">
          <h2 id="money-title">{t.insertMoney}</h2>
          <div className="coin-row">
            {MONEY.map((yen) => (
              <button key={yen} type="button" className={`coin ${yen >= 1000 ? 'note' : ''}`} aria-label={t.insert(yen)} onClick={() => flow.insert(yen)}>
                {t.yen(yen)}
              </button>
            ))}
          </div>
        </section>
      </div>
    </Screen>
  );
}

// 「マイナンバーカードを置いてください」: in the demo, the resident picks one of the platform's virtual cards.
import { useI18n } from '../i18n.ts';
import { useKiosk } from '../components/kiosk-context.ts';
import { Screen } from '../components/screen.tsx';

export function CardScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  return (
    <Screen title={t.cardTitle} lead={t.cardHint}>
      <div className="card-place">
        <div className="reader" aria-hidden="true"><div className="card-shape"><span>My Number Card</span></div></div>
        <section className="demo" aria-labelledby="demo-title">
          <h2 id="demo-title">{t.demoCards}</h2>
          {state.cards?.length === 0 ? <p>{t.demoCardsNone}</p> : null}
          <ul className="card-list">
            {(state.cards ?? []).map((card) => (
              <li key={card.id}>
                <button type="button" className="button secondary card-choice" onClick={() => void flow.placeCard(card.id)}>
                  <span>{t.demoCard(card.serial)}</span>
                  <span className="card-meta">{t.demoCardMeta(card.lgCode, card.expiresOn)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Screen>
  );
}

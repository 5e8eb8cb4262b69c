// Before a session: waiting, out of hours, out of service, and the choice of service (行政サービス → 証明書交付).
import { useI18n } from '../i18n.ts';
import { useKiosk } from '../components/kiosk-context.ts';
import { Screen, Tile } from '../components/screen.tsx';

export function ClosedScreen() {
  const { t } = useI18n();
  const { availability } = useKiosk().state;
  return (
    <Screen title={t.closedTitle} className="closed">
      <div className="panel">
        {availability?.reason ? <p>{t.closedReason(availability.reason)}</p> : null}
        {availability?.message ? <p className="message">{availability.message}</p> : null}
        {availability?.reopensAt ? <p className="reopens">{t.reopensAt(availability.reopensAt)}</p> : null}
      </div>
    </Screen>
  );
}

export function UnavailableScreen() {
  const { t } = useI18n();
  return <Screen title={t.unavailableTitle} className="closed" />;
}

export function HomeScreen() {
  const { t } = useI18n();
  const { flow } = useKiosk();
  return (
    <Screen title={t.homeTitle}>
      <div className="tiles">
        <Tile title={t.administrative} hint={t.administrativeHint} onClick={flow.chooseAdministrative} />
      </div>
      <p className="note">{t.needs}</p>
    </Screen>
  );
}

export function ServicesScreen() {
  const { t } = useI18n();
  const { flow } = useKiosk();
  return (
    <Screen title={t.servicesTitle}>
      <div className="tiles">
        <Tile title={t.issuance} hint={t.issuanceHint} onClick={() => void flow.startIssuance()} />
      </div>
      <p className="note">{t.needs}</p>
    </Screen>
  );
}

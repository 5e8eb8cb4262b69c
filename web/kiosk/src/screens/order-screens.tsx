// After authentication: which municipality, which certificate, its options, how many copies, and the fee.
import { useEffect } from 'react';
import { useI18n } from '../i18n.ts';
import { useKiosk } from '../components/kiosk-context.ts';
import { Screen, Tile } from '../components/screen.tsx';
import { MAX_COPIES, MIN_COPIES, offersFor } from '../state.ts';
import type { ChoiceValue, OptionValue } from '../centre-client.ts';

export function MunicipalityScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const { municipality, honseki } = state.authentication!;
  return (
    <Screen title={t.municipalityTitle}>
      <div className="tiles two">
        <Tile title={t.residence(municipality.name)} hint={t.residenceHint} onClick={() => flow.chooseTarget('residence')} />
        {honseki ? <Tile title={t.honseki(honseki.name)} hint={t.honsekiHint} onClick={() => flow.chooseTarget('honseki')} /> : null}
      </div>
    </Screen>
  );
}

export function TypeScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const offers = offersFor(state);
  const place = state.target === 'honseki' ? state.authentication?.honseki : state.authentication?.municipality;
  return (
    <Screen title={t.typeTitle} lead={place?.name}>
      {offers.length === 0 ? <p className="panel">{t.noOffers}</p> : null}
      <div className="tiles list">
        {offers.map((offer) => offer.available === false ? (
          <Tile key={`${offer.target}:${offer.type}`} title={offer.title} hint={offer.unavailableReason ?? t.notAvailable} disabled
            onClick={() => flow.explain({ title: offer.unavailableReason ?? t.notAvailable })} />
        ) : (
          <Tile key={`${offer.target}:${offer.type}`} title={offer.title} aside={t.feePerCopy(offer.feeYen)} onClick={() => flow.chooseOffer(offer)} />
        ))}
      </div>
    </Screen>
  );
}

export function OptionsScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const offer = state.offer!;
  return (
    <Screen title={t.optionsTitle(offer.title)} primary={{ label: t.next, onClick: flow.optionsDone }}>
      <div className="option-groups">
        {offer.options.map((spec) => {
          const multiple = spec.kind === 'multiple';
          const current = state.options[spec.name];
          const chosen = (value: ChoiceValue) => (Array.isArray(current) ? current.includes(value) : current === value);
          return (
            <fieldset key={spec.name} className="choice-group">
              <legend>{spec.label}</legend>
              {spec.choices.map((choice, i) => {
                const id = `${spec.name}-${i}`;
                return (
                  <label key={id} htmlFor={id} className="choice">
                    <input id={id} type={multiple ? 'checkbox' : 'radio'} name={spec.name} checked={chosen(choice.value)}
                      onChange={() => flow.setOption(spec.name, multiple ? toggled(current, choice.value, spec.default) : choice.value)} />
                    <span>{choice.label}</span>
                  </label>
                );
              })}
            </fieldset>
          );
        })}
      </div>
    </Screen>
  );
}

/**
 * A `multiple` option after ticking or unticking `value`. A choice `all` (世帯全員) excludes the
 * others; unticking the last one goes back to the default.
 */
function toggled(current: OptionValue | undefined, value: ChoiceValue, fallback: OptionValue): ChoiceValue[] {
  const list = Array.isArray(current) ? current : current === undefined ? [] : [current];
  let next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  if (value === 'all' && next.includes('all')) next = ['all'];
  else if (next.length > 1) next = next.filter((v) => v !== 'all');
  if (next.length === 0) next = Array.isArray(fallback) ? fallback : [fallback];
  return next;
}

export function CopiesScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const { copies, offer } = state;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return;
      if (e.key === '+' || e.key === 'ArrowUp') { e.preventDefault(); flow.setCopies(copies + 1); }
      if (e.key === '-' || e.key === 'ArrowDown') { e.preventDefault(); flow.setCopies(copies - 1); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return (
    <Screen title={t.copiesTitle} lead={offer?.title} primary={{ label: t.next, onClick: () => void flow.placeOrder() }}>
      <div className="stepper">
        <button type="button" className="button round" aria-label={t.copiesFewer} aria-disabled={copies <= MIN_COPIES || undefined} onClick={() => flow.setCopies(copies - 1)}>−</button>
        <output className="stepper-value" aria-live="polite">{t.copies(copies)}</output>
        <button type="button" className="button round" aria-label={t.copiesMore} aria-disabled={copies >= MAX_COPIES || undefined} onClick={() => flow.setCopies(copies + 1)}>＋</button>
      </div>
      <p className="center">{t.copiesRange}</p>
      {offer ? <p className="center subtotal">{t.subtotal(offer.feeYen, copies)}</p> : null}
    </Screen>
  );
}

export function ConfirmScreen() {
  const { t } = useI18n();
  const { state, flow } = useKiosk();
  const order = state.order!;
  const offer = state.offer;
  const place = state.target === 'honseki' ? state.authentication?.honseki : state.authentication?.municipality;
  const details = (offer?.options ?? []).flatMap((spec) => {
    const value = state.options[spec.name];
    return spec.choices.filter((c) => (Array.isArray(value) ? value.includes(c.value) : c.value === value)).map((c) => c.label);
  }).join('・');
  return (
    <Screen title={t.confirmTitle} primary={{ label: t.toPayment, onClick: flow.toPayment }}>
      <dl className="summary">
        <div><dt>{t.certificate}</dt><dd>{order.title}</dd></div>
        {place ? <div><dt>{t.municipality}</dt><dd>{place.name}</dd></div> : null}
        {details ? <div><dt>{t.details}</dt><dd>{details}</dd></div> : null}
        <div><dt>{t.copiesLabel}</dt><dd>{t.copies(order.copies)}</dd></div>
        <div><dt>{t.feePerCopyLabel}</dt><dd>{t.yen(order.feePerCopyYen)}</dd></div>
        <div className="total"><dt>{t.total}</dt><dd>{t.yen(order.totalYen)}</dd></div>
      </dl>
    </Screen>
  );
}

// The コンビニ交付 service calendar: hours, the year-end closure, maintenance windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceAvailability } from './service-calendar.ts';

const jst = (text: string) => new Date(`${text}+09:00`);

test('open 6:30–23:00 JST; closed before and after, reopening at the next 6:30', () => {
  assert.deepEqual(serviceAvailability(jst('2026-11-24T06:30:00'), '132047', []), { open: true });
  assert.deepEqual(serviceAvailability(jst('2026-11-24T22:59:59'), '132047', []), { open: true });
  const late = serviceAvailability(jst('2026-11-24T23:00:00'), '132047', []);
  assert.ok(!late.open && late.reason === 'hours' && late.reopensAt.getTime() === jst('2026-11-25T06:30:00').getTime());
  const early = serviceAvailability(jst('2026-11-25T06:29:00'), '132047', []);
  assert.ok(!early.open && early.reopensAt.getTime() === jst('2026-11-25T06:30:00').getTime());
  assert.ok(!early.open && early.message.includes('11月25日 6時30分'));
});

test('12/29–1/3 closed all day; reopens 1/4 6:30', () => {
  for (const at of ['2026-12-29T10:00:00', '2026-12-31T12:00:00', '2027-01-03T22:00:00', '2026-12-28T23:30:00']) {
    const state = serviceAvailability(jst(at), '132047', []);
    assert.ok(!state.open, at);
    assert.equal(state.reopensAt.getTime(), jst('2027-01-04T06:30:00').getTime(), at);
  }
  assert.deepEqual(serviceAvailability(jst('2026-12-28T22:00:00'), '132047', []), { open: true });
});

test('maintenance windows close one municipality (or all) until they end', () => {
  const windows = [{ lgCode: '132047', from: jst('2026-11-24T10:00:00'), until: jst('2026-11-24T12:00:00'), reason: '証明発行サーバの更新' }];
  const during = serviceAvailability(jst('2026-11-24T11:00:00'), '132047', windows);
  assert.ok(!during.open && during.reason === 'maintenance' && during.reopensAt.getTime() === jst('2026-11-24T12:00:00').getTime());
  assert.deepEqual(serviceAvailability(jst('2026-11-24T11:00:00'), '131016', windows), { open: true }, 'another municipality is open');
  const night = [{ lgCode: null, from: jst('2026-11-24T22:00:00'), until: jst('2026-11-25T01:00:00'), reason: '全国一斉保守' }];
  const closing = serviceAvailability(jst('2026-11-24T22:30:00'), '131016', night);
  assert.ok(!closing.open && closing.reopensAt.getTime() === jst('2026-11-25T06:30:00').getTime(), 'a window ending at night reopens at 6:30');
});

// 異動 and related use cases at service level: happy paths, every input error, history, outbox and the 転出→転入 flow.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { isValidIndividualNumber, isValidResidentCode, makeId } from '../../kernel/ids/check-digits.ts';
import { PlatformError } from '../../kernel/errors.ts';
import { createTestPlatform, type TestPlatform } from '../../../test/support/test-platform.ts';
import type { NewPersonInput, ReadContext, ResidentRecord, StaffPrincipal } from './index.ts';

/** The test clock says 2026-11-24 (JST). */
const TODAY = '2026-11-24';

let t: TestPlatform;
let db: Kysely<any>;
let read: ReadContext;
let household = 0;

before(async () => {
  t = await createTestPlatform();
  db = t.platform.database.db;
  read = { staff: t.staff, purpose: '異動処理の確認' };
});
after(() => t.close());

function person(overrides: Partial<NewPersonInput> = {}): NewPersonInput {
  return {
    relationship: '世帯主', familyName: '三鷹', givenName: '太郎', familyNameKana: 'ミタカ', givenNameKana: 'タロウ',
    birthDate: '1980-04-01', sex: 'male', honseki: '東京都三鷹市野崎一丁目1番地', hittosha: '三鷹太郎',
    nationality: null, residenceStatus: null, residenceExpiry: null, residenceCardNumber: null, aliasName: null,
    ...overrides,
  };
}

/** A new household (head first registered by 転入 from outside), with optional further members. */
async function newFamily(options: { staff?: StaffPrincipal; head?: Partial<NewPersonInput>; members?: Partial<NewPersonInput>[] } = {}): Promise<{ head: ResidentRecord; members: ResidentRecord[] }> {
  const staff = options.staff ?? t.staff;
  const n = ++household;
  const head = await t.registry.recordMoveIn(staff, {
    person: person({ givenName: `太郎${n}`, ...options.head }), relationship: '世帯主', occurredOn: '2020-04-01',
    target: { newHousehold: { address: `東京都三鷹市野崎一丁目${n}番1号`, postalCode: '1810014' } },
  });
  const members: ResidentRecord[] = [];
  for (const m of options.members ?? []) {
    const p = person({ relationship: '妻', givenName: `花子${n}`, givenNameKana: 'ハナコ', sex: 'female', birthDate: '1982-05-05', ...m });
    members.push(await t.registry.recordMoveIn(staff, { person: p, relationship: p.relationship, occurredOn: '2020-04-01', target: { householdId: head.householdId } }));
  }
  return { head, members };
}

/** Asserts the promise fails with a PlatformError of that code; returns it for more checks. */
async function rejectsWith(promise: Promise<unknown>, code: string): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PlatformError, `expected a PlatformError, got ${String(error)}`);
    assert.equal(error.code, code, `${error.code}: ${error.detail ?? ''} ${JSON.stringify(error.problems ?? [])}`);
    return error;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

async function outboxFor(residentCode: string): Promise<{ topic: string; lg_code: string; payload: Record<string, unknown> }[]> {
  return db.selectFrom('registry.outbox').select(['topic', 'lg_code', 'payload']).where('resident_code', '=', residentCode).orderBy('id').execute();
}

async function current(id: string, staff: StaffPrincipal = t.staff): Promise<ResidentRecord> {
  return t.registry.getResident({ staff, purpose: '確認' }, id);
}

describe('転入 from outside the deployment', () => {
  test('creates a household with a generated number, a new code and a first number, and no outbox message', async () => {
    const { head } = await newFamily();
    assert.match(head.householdNo, /^S\d{7}$/);
    assert.ok(isValidResidentCode(head.residentCode));
    assert.ok(isValidIndividualNumber(head.individualNumber));
    assert.equal(head.status, 'active');
    assert.equal(head.registeredOn, '2020-04-01');
    assert.equal(head.relationship, '世帯主');
    const history = await t.registry.getResidentHistory(read, head.id);
    assert.deepEqual(history.map((e) => e.kind), ['move_in']);
    assert.ok(!JSON.stringify(history).includes(head.individualNumber), 'history never holds the number');
    assert.deepEqual(await outboxFor(head.residentCode), []);
  });

  test('households get distinct numbers', async () => {
    const a = await newFamily();
    const b = await newFamily();
    assert.notEqual(a.head.householdNo, b.head.householdNo);
  });

  test('a new household needs a 世帯主', async () => {
    await rejectsWith(t.registry.recordMoveIn(t.staff, {
      person: person({ relationship: '子' }), relationship: '子', occurredOn: '2020-04-01',
      target: { newHousehold: { address: '東京都三鷹市下連雀1-1', postalCode: '1810013' } },
    }), 'REGISTRY_HOUSEHOLD_HEAD_MISSING');
  });

  test('a person is required without a 住民票コード, and bad fields are all listed', async () => {
    await rejectsWith(t.registry.recordMoveIn(t.staff, { relationship: '世帯主', occurredOn: '2020-04-01', target: { newHousehold: { address: '東京都三鷹市下連雀1-1', postalCode: '1810013' } } }), 'REGISTRY_RESIDENT_INVALID');
    const error = await rejectsWith(t.registry.recordMoveIn(t.staff, {
      person: person({ familyNameKana: 'mitaka', honseki: null }), relationship: '世帯主', occurredOn: '2020-04-01',
      target: { newHousehold: { address: '東京都三鷹市下連雀1-1', postalCode: '181-13' } },
    }), 'REGISTRY_RESIDENT_INVALID');
    const fields = error.problems!.map((p) => p.field);
    assert.ok(fields.includes('person.familyNameKana'));
    assert.ok(fields.includes('person.honseki'));
    assert.ok(fields.includes('target.newHousehold.postalCode'));
  });

  test('a future 転入日 is REGISTRY_DATE_INVALID', async () => {
    const error = await rejectsWith(t.registry.recordMoveIn(t.staff, {
      person: person(), relationship: '世帯主', occurredOn: '2026-11-25',
      target: { newHousehold: { address: '東京都三鷹市下連雀1-1', postalCode: '1810013' } },
    }), 'REGISTRY_DATE_INVALID');
    assert.equal(error.problems![0]!.field, 'occurredOn');
  });
});

describe('出生', () => {
  test('registers the child into the household with 住民票コード, generation-0 number and registeredOn = birth date', async () => {
    const { head } = await newFamily();
    const child = await t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-11-20',
      person: person({ relationship: '子', givenName: '一郎', givenNameKana: 'イチロウ', birthDate: '2026-11-20' }),
    });
    assert.equal(child.householdId, head.householdId);
    assert.equal(child.address, head.address);
    assert.equal(child.registeredOn, '2026-11-20');
    assert.ok(isValidResidentCode(child.residentCode));
    assert.ok(isValidIndividualNumber(child.individualNumber));
    const row = await db.selectFrom('registry.residents').select('number_generation').where('id', '=', child.id).executeTakeFirstOrThrow();
    assert.equal(row.number_generation, 0);
    const history = await t.registry.getResidentHistory(read, child.id);
    assert.deepEqual(history.map((e) => [e.kind, e.occurredOn]), [['birth', '2026-11-20']]);
  });

  test('a second 世帯主 is refused', async () => {
    const { head } = await newFamily();
    await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-11-20', person: person({ relationship: '世帯主', birthDate: '2026-11-20' }),
    }), 'REGISTRY_HOUSEHOLD_HEAD_DUPLICATE');
  });

  test('a birth in the future or on another day than the birth date is REGISTRY_DATE_INVALID', async () => {
    const { head } = await newFamily();
    const future = await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-12-01', person: person({ relationship: '子', birthDate: '2026-12-01' }),
    }), 'REGISTRY_DATE_INVALID');
    assert.ok(future.problems!.some((p) => p.field === 'occurredOn' && p.code === 'DATE_IN_FUTURE'));
    assert.ok(future.problems!.some((p) => p.field === 'person.birthDate'));
    await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-11-21', person: person({ relationship: '子', birthDate: '2026-11-20' }),
    }), 'REGISTRY_DATE_INVALID');
    await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-02-30', person: person({ relationship: '子', birthDate: '2026-02-30' }),
    }), 'REGISTRY_DATE_INVALID');
  });

  test('bad person fields are REGISTRY_RESIDENT_INVALID with each problem', async () => {
    const { head } = await newFamily();
    const error = await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-11-20',
      person: person({ birthDate: '2026-11-20', givenName: '', givenNameKana: 'いちろう', relationship: '息子' as never }),
    }), 'REGISTRY_RESIDENT_INVALID');
    const fields = error.problems!.map((p) => p.field).sort();
    assert.deepEqual(fields, ['person.givenName', 'person.givenNameKana', 'person.relationship']);
  });

  test('a household of another municipality (or none) is not found', async () => {
    const { head } = await newFamily({ staff: t.otherStaff });
    await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: head.householdId, occurredOn: '2026-11-20', person: person({ relationship: '子', birthDate: '2026-11-20' }),
    }), 'REGISTRY_HOUSEHOLD_NOT_FOUND');
    await rejectsWith(t.registry.recordBirth(t.staff, {
      householdId: 'not-a-uuid', occurredOn: '2026-11-20', person: person({ relationship: '子', birthDate: '2026-11-20' }),
    }), 'REGISTRY_HOUSEHOLD_NOT_FOUND');
  });
});

describe('a resident with their household (certificates)', () => {
  test('finds the resident by 住民票コード with every current member as a full record, head first, one audit record each', async () => {
    const { head, members: [child] } = await newFamily({ members: [{ relationship: '子', givenName: '次郎', birthDate: '2010-05-05' }] });
    const found = await t.registry.getResidentWithHousehold(read, child!.residentCode);
    assert.equal(found.resident.id, child!.id);
    assert.deepEqual(found.household.map((m) => m.id), [head.id, child!.id]);
    assert.equal(found.household[0]!.honseki, head.honseki);
    for (const member of [head, child!]) {
      const audit = await t.platform.audit.listForSubject('resident', member.residentCode);
      assert.equal(audit.filter((a) => a.action === 'registry.household.read' && a.purpose === read.purpose).length, 1);
    }
  });

  test('another municipality\'s resident, an unknown code and a deceased resident are not found', async () => {
    const { head: elsewhere } = await newFamily({ staff: t.otherStaff });
    await rejectsWith(t.registry.getResidentWithHousehold(read, elsewhere.residentCode), 'REGISTRY_RESIDENT_NOT_FOUND');
    await rejectsWith(t.registry.getResidentWithHousehold(read, '00000000000'), 'REGISTRY_RESIDENT_NOT_FOUND');
    const { head } = await newFamily();
    await t.registry.recordDeath(t.staff, head.id, { diedOn: TODAY });
    await rejectsWith(t.registry.getResidentWithHousehold(read, head.residentCode), 'REGISTRY_RESIDENT_NOT_FOUND');
  });
});

describe('転居', () => {
  test('moves a member into a new household at a new address and tells JPKI', async () => {
    const { head, members: [wife] } = await newFamily({ members: [{}] });
    const moved = await t.registry.recordMoveWithin(t.staff, wife!.id, {
      target: { newHousehold: { address: '東京都三鷹市下連雀三丁目1番1号', postalCode: '1810013' } }, relationship: '世帯主', occurredOn: '2026-11-01',
    });
    assert.notEqual(moved.householdId, head.householdId);
    assert.equal(moved.address, '東京都三鷹市下連雀三丁目1番1号');
    assert.equal(moved.relationship, '世帯主');
    assert.equal(moved.version, wife!.version + 1);
    const outbox = await outboxFor(wife!.residentCode);
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0]!.topic, 'resident.basic-attributes-changed');
    assert.ok((outbox[0]!.payload['changed'] as string[]).includes('address'));
    const history = await t.registry.getResidentHistory(read, wife!.id);
    assert.equal(history.at(-1)!.kind, 'move_within');
    assert.equal(history.at(-1)!.before!['address'], head.address);
  });

  test('a 世帯主 leaving members behind must name the new head; that member becomes 世帯主', async () => {
    const { head, members: [wife] } = await newFamily({ members: [{}] });
    const target = { newHousehold: { address: '東京都三鷹市井口1-1', postalCode: '1810011' } };
    await rejectsWith(t.registry.recordMoveWithin(t.staff, head.id, { target, relationship: '世帯主', occurredOn: '2026-11-01' }), 'REGISTRY_HOUSEHOLD_HEAD_MISSING');
    assert.equal((await current(head.id)).version, head.version, 'nothing changed');
    const stranger = await newFamily();
    await rejectsWith(t.registry.recordMoveWithin(t.staff, head.id, { target, relationship: '世帯主', occurredOn: '2026-11-01', newHeadId: stranger.head.id }), 'REGISTRY_RESIDENT_INVALID');
    await t.registry.recordMoveWithin(t.staff, head.id, { target, relationship: '世帯主', occurredOn: '2026-11-01', newHeadId: wife!.id });
    assert.equal((await current(wife!.id)).relationship, '世帯主');
    const wifeHistory = await t.registry.getResidentHistory(read, wife!.id);
    assert.deepEqual(wifeHistory.at(-1)!.after, { relationship: '世帯主' });
  });

  test('joining a household that has a head as 世帯主 is refused; the same household is refused', async () => {
    const a = await newFamily();
    const b = await newFamily({ members: [{}] });
    await rejectsWith(t.registry.recordMoveWithin(t.staff, b.members[0]!.id, { target: { householdId: a.head.householdId }, relationship: '世帯主', occurredOn: '2026-11-01' }), 'REGISTRY_HOUSEHOLD_HEAD_DUPLICATE');
    await rejectsWith(t.registry.recordMoveWithin(t.staff, b.members[0]!.id, { target: { householdId: b.head.householdId }, relationship: '妻', occurredOn: '2026-11-01' }), 'REGISTRY_RESIDENT_INVALID');
    const joined = await t.registry.recordMoveWithin(t.staff, b.members[0]!.id, { target: { householdId: a.head.householdId }, relationship: '同居人', occurredOn: '2026-11-01' });
    assert.equal(joined.householdNo, a.head.householdNo);
    assert.equal(joined.address, a.head.address);
  });

  test('a 転居 before the resident was registered is REGISTRY_DATE_INVALID', async () => {
    const { members: [wife] } = await newFamily({ members: [{}] });
    await rejectsWith(t.registry.recordMoveWithin(t.staff, wife!.id, {
      target: { newHousehold: { address: '東京都三鷹市井口1-1', postalCode: '1810011' } }, relationship: '世帯主', occurredOn: '2019-01-01',
    }), 'REGISTRY_DATE_INVALID');
  });
});

describe('転出届 and 死亡', () => {
  test('転出届: planned up to 14 days ahead, then 転出予定 (and not twice)', async () => {
    const { head } = await newFamily();
    await rejectsWith(t.registry.recordMoveOut(t.staff, head.id, { destination: '東京都千代田区千代田1-1', plannedOn: '2026-12-09' }), 'REGISTRY_DATE_INVALID');
    await rejectsWith(t.registry.recordMoveOut(t.staff, head.id, { destination: '', plannedOn: '2026-12-08' }), 'REGISTRY_RESIDENT_INVALID');
    const out = await t.registry.recordMoveOut(t.staff, head.id, { destination: '東京都千代田区千代田1-1', plannedOn: '2026-12-08' });
    assert.equal(out.status, 'moving_out');
    assert.equal(out.movedOutOn, '2026-12-08');
    assert.equal(out.movedOutTo, '東京都千代田区千代田1-1');
    await rejectsWith(t.registry.recordMoveOut(t.staff, head.id, { destination: '東京都千代田区千代田1-1', plannedOn: '2026-12-08' }), 'REGISTRY_MOVE_OUT_PENDING');
    assert.deepEqual(await outboxFor(head.residentCode), [], 'the 転出届 alone changes no basic attribute');
  });

  test('the death of a head with members needs newHeadId; nothing changes without it', async () => {
    const { head, members: [wife, son] } = await newFamily({ members: [{}, { relationship: '子', givenName: '次郎', givenNameKana: 'ジロウ', sex: 'male', birthDate: '2010-01-01' }] });
    const error = await rejectsWith(t.registry.recordDeath(t.staff, head.id, { diedOn: '2026-11-20' }), 'REGISTRY_HOUSEHOLD_HEAD_MISSING');
    assert.equal(error.status, 422);
    const unchanged = await current(head.id);
    assert.equal(unchanged.status, 'active');
    assert.equal(unchanged.version, head.version);
    assert.deepEqual(await outboxFor(head.residentCode), []);

    const dead = await t.registry.recordDeath(t.staff, head.id, { diedOn: '2026-11-20', newHeadId: wife!.id });
    assert.equal(dead.status, 'deceased');
    assert.equal(dead.diedOn, '2026-11-20');
    assert.equal((await current(wife!.id)).relationship, '世帯主');
    assert.equal((await current(son!.id)).relationship, '子');
    const outbox = await outboxFor(head.residentCode);
    assert.deepEqual(outbox.map((m) => m.topic), ['resident.died']);
    const household = await t.registry.getHousehold(read, head.householdId);
    assert.equal(household.headId, wife!.id);
    await rejectsWith(t.registry.recordDeath(t.staff, head.id, { diedOn: '2026-11-20' }), 'REGISTRY_RESIDENT_NOT_ACTIVE');
  });

  test('a death before birth, in the future, or of an unknown resident is refused', async () => {
    const { head } = await newFamily();
    await rejectsWith(t.registry.recordDeath(t.staff, head.id, { diedOn: '1970-01-01' }), 'REGISTRY_DATE_INVALID');
    await rejectsWith(t.registry.recordDeath(t.staff, head.id, { diedOn: '2026-11-25' }), 'REGISTRY_DATE_INVALID');
    await rejectsWith(t.registry.recordDeath(t.staff, '00000000-0000-4000-8000-000000000000', { diedOn: '2026-11-20' }), 'REGISTRY_RESIDENT_NOT_FOUND');
    await rejectsWith(t.registry.recordDeath(t.staff, head.id, { diedOn: '2026-11-20', newHeadId: head.id }), 'REGISTRY_RESIDENT_INVALID');
  });

  test('a head living alone dies without newHeadId', async () => {
    const { head } = await newFamily();
    assert.equal((await t.registry.recordDeath(t.staff, head.id, { diedOn: TODAY })).status, 'deceased');
  });
});

describe('転出 → 転入 across the two municipalities', () => {
  test('転入 of someone still 記録中 elsewhere is refused and changes nothing', async () => {
    const { head } = await newFamily();
    const before = await db.selectFrom('registry.residents').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await rejectsWith(t.registry.recordMoveIn(t.otherStaff, {
      fromResidentCode: head.residentCode, relationship: '世帯主', occurredOn: TODAY,
      target: { newHousehold: { address: '東京都千代田区千代田1-1', postalCode: '1000001' } },
    }), 'REGISTRY_MOVE_IN_NOT_MOVED_OUT');
    const after = await db.selectFrom('registry.residents').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
    const households = await db.selectFrom('registry.households').selectAll().where('lg_code', '=', t.otherLgCode).where('address', '=', '東京都千代田区千代田1-1').execute();
    assert.equal(households.length, 0, 'no household was left behind');
    const unchanged = await current(head.id);
    assert.equal(unchanged.status, 'active');
    assert.equal(unchanged.version, head.version);
  });

  test('the person keeps code, number and generation; the old record becomes 転出済み', async () => {
    const { head } = await newFamily();
    await t.registry.recordMoveOut(t.staff, head.id, { destination: '東京都千代田区千代田1-1', plannedOn: '2026-11-30' });
    await rejectsWith(t.registry.recordMoveIn(t.staff, {
      fromResidentCode: head.residentCode, relationship: '世帯主', occurredOn: TODAY,
      target: { newHousehold: { address: '東京都三鷹市井口1-1', postalCode: '1810011' } },
    }), 'REGISTRY_MOVE_IN_SAME_MUNICIPALITY');

    const arrived = await t.registry.recordMoveIn(t.otherStaff, {
      fromResidentCode: head.residentCode, relationship: '世帯主', occurredOn: TODAY,
      target: { newHousehold: { address: '東京都千代田区千代田1-1', postalCode: '1000001' } },
    });
    assert.equal(arrived.lgCode, t.otherLgCode);
    assert.equal(arrived.residentCode, head.residentCode);
    assert.equal(arrived.individualNumber, head.individualNumber);
    assert.equal(arrived.familyName, head.familyName);
    assert.equal(arrived.birthDate, head.birthDate);
    assert.equal(arrived.address, '東京都千代田区千代田1-1');
    assert.equal(arrived.registeredOn, TODAY);
    assert.equal(arrived.status, 'active');
    const generations = await db.selectFrom('registry.residents').select(['lg_code', 'number_generation', 'status']).where('resident_code', '=', head.residentCode).orderBy('created_at').execute();
    assert.deepEqual(generations.map((g) => g.number_generation), [0, 0]);

    const old = await current(head.id);
    assert.equal(old.status, 'moved_out');
    assert.equal(old.movedOutOn, TODAY);
    const oldHistory = await t.registry.getResidentHistory(read, head.id);
    assert.deepEqual(oldHistory.map((e) => e.kind), ['move_in', 'move_out', 'move_out_completed']);
    const newHistory = await t.registry.getResidentHistory({ staff: t.otherStaff, purpose: '転入処理' }, arrived.id);
    assert.deepEqual(newHistory.map((e) => e.kind), ['move_in']);
    assert.ok(!JSON.stringify([oldHistory, newHistory]).includes(head.individualNumber));
    const outbox = await outboxFor(head.residentCode);
    assert.deepEqual(outbox.map((m) => [m.topic, m.lg_code]), [['resident.basic-attributes-changed', t.otherLgCode]]);
    // The former municipality no longer finds the person among its current residents.
    const search = await t.registry.findResidents(read, { residentCode: head.residentCode });
    assert.equal(search.total, 0);
    // A second 転入 with the same code finds no pending 転出.
    await rejectsWith(t.registry.recordMoveIn(t.staff, {
      fromResidentCode: head.residentCode, relationship: '世帯主', occurredOn: TODAY,
      target: { newHousehold: { address: '東京都三鷹市井口1-1', postalCode: '1810011' } },
    }), 'REGISTRY_MOVE_IN_NOT_MOVED_OUT');
  });

  test('unknown and malformed 住民票コード', async () => {
    const target = { newHousehold: { address: '東京都千代田区千代田1-1', postalCode: '1000001' } };
    await rejectsWith(t.registry.recordMoveIn(t.otherStaff, { fromResidentCode: makeId('resident-code', '1234567890'), relationship: '世帯主', occurredOn: TODAY, target }), 'REGISTRY_RESIDENT_NOT_FOUND');
    const valid = makeId('resident-code', '1234567890');
    const wrongCheckDigit = valid.slice(0, 10) + String((Number(valid[10]) + 1) % 10);
    await rejectsWith(t.registry.recordMoveIn(t.otherStaff, { fromResidentCode: wrongCheckDigit, relationship: '世帯主', occurredOn: TODAY, target }), 'REGISTRY_RESIDENT_CODE_INVALID');
    await rejectsWith(t.registry.recordMoveIn(t.otherStaff, { fromResidentCode: '12345', relationship: '世帯主', occurredOn: TODAY, target }), 'REGISTRY_RESIDENT_CODE_INVALID');
  });
});

describe('氏名変更 and 職権修正', () => {
  test('a name change is recorded with its reason and goes to the outbox; a kana-only one does not', async () => {
    const { members: [wife] } = await newFamily({ members: [{}] });
    const changed = await t.registry.changeName(t.staff, wife!.id, { familyName: '佐藤', givenName: wife!.givenName, familyNameKana: 'サトウ', givenNameKana: 'ハナコ', occurredOn: '2026-11-01', reason: '婚姻' });
    assert.equal(changed.familyName, '佐藤');
    assert.equal(changed.familyNameKana, 'サトウ');
    const event = (await t.registry.getResidentHistory(read, wife!.id)).at(-1)!;
    assert.equal(event.kind, 'name_change');
    assert.equal(event.note, '婚姻');
    assert.deepEqual(event.before, { family_name: '三鷹', family_name_kana: 'ミタカ' });
    assert.deepEqual((await outboxFor(wife!.residentCode)).map((m) => m.topic), ['resident.basic-attributes-changed']);

    await t.registry.changeName(t.staff, wife!.id, { familyName: '佐藤', givenName: wife!.givenName, familyNameKana: 'サトオ', givenNameKana: 'ハナコ', occurredOn: '2026-11-02', reason: '読み仮名の変更' });
    assert.equal((await outboxFor(wife!.residentCode)).length, 1, 'the reading is not a basic attribute');
  });

  test('bad names, an unchanged name and a missing reason are REGISTRY_RESIDENT_INVALID', async () => {
    const { head } = await newFamily();
    const bad = await rejectsWith(t.registry.changeName(t.staff, head.id, { familyName: '', givenName: head.givenName, familyNameKana: 'さとう', givenNameKana: 'タロウ', occurredOn: '2026-11-01', reason: '' }), 'REGISTRY_RESIDENT_INVALID');
    assert.deepEqual(bad.problems!.map((p) => p.field).sort(), ['familyName', 'familyNameKana', 'reason']);
    await rejectsWith(t.registry.changeName(t.staff, head.id, { familyName: head.familyName, givenName: head.givenName, familyNameKana: head.familyNameKana, givenNameKana: head.givenNameKana, occurredOn: '2026-11-01', reason: '婚姻' }), 'REGISTRY_RESIDENT_INVALID');
    await rejectsWith(t.registry.changeName(t.staff, head.id, { familyName: '佐藤', givenName: head.givenName, familyNameKana: 'サトウ', givenNameKana: head.givenNameKana, occurredOn: '2027-01-01', reason: '婚姻' }), 'REGISTRY_DATE_INVALID');
  });

  test('a 本籍 correction bumps the version and sends nothing to the outbox; a stale version conflicts', async () => {
    const { head } = await newFamily();
    const corrected = await t.registry.correctResident(t.staff, head.id, { expectedVersion: head.version, reason: '届出書の誤記', changes: { honseki: '東京都三鷹市野崎二丁目2番地' } });
    assert.equal(corrected.honseki, '東京都三鷹市野崎二丁目2番地');
    assert.equal(corrected.version, head.version + 1);
    assert.deepEqual(await outboxFor(head.residentCode), []);
    const event = (await t.registry.getResidentHistory(read, head.id)).at(-1)!;
    assert.equal(event.kind, 'correction');
    assert.deepEqual(event.after, { honseki: '東京都三鷹市野崎二丁目2番地' });

    const conflict = await rejectsWith(t.registry.correctResident(t.staff, head.id, { expectedVersion: head.version, reason: '再修正', changes: { honseki: '東京都三鷹市野崎三丁目3番地' } }), 'REGISTRY_VERSION_CONFLICT');
    assert.equal(conflict.status, 409);
    assert.equal((await current(head.id)).honseki, '東京都三鷹市野崎二丁目2番地');

    await t.registry.correctResident(t.staff, head.id, { expectedVersion: corrected.version, reason: '生年月日の誤記', changes: { birthDate: '1980-04-02' } });
    assert.deepEqual((await outboxFor(head.residentCode)).map((m) => m.topic), ['resident.basic-attributes-changed']);
  });

  test('fields outside the whitelist and invalid values are refused', async () => {
    const { head } = await newFamily();
    const notAllowed = await rejectsWith(t.registry.correctResident(t.staff, head.id, { expectedVersion: head.version, reason: '誤記', changes: { status: 'deceased' } as never }), 'REGISTRY_RESIDENT_INVALID');
    assert.equal(notAllowed.problems![0]!.field, 'changes.status');
    const invalid = await rejectsWith(t.registry.correctResident(t.staff, head.id, { expectedVersion: head.version, reason: '誤記', changes: { postalCode: '123', sex: 'x' as never } }), 'REGISTRY_RESIDENT_INVALID');
    assert.deepEqual(invalid.problems!.map((p) => p.field).sort(), ['changes.postalCode', 'changes.sex']);
    await rejectsWith(t.registry.correctResident(t.staff, head.id, { expectedVersion: head.version, reason: '誤記', changes: { birthDate: '2030-01-01' } }), 'REGISTRY_DATE_INVALID');
    await rejectsWith(t.registry.correctResident(t.staff, head.id, { expectedVersion: head.version, reason: '誤記', changes: { honseki: head.honseki } }), 'REGISTRY_RESIDENT_INVALID');
    assert.equal((await current(head.id)).version, head.version);
  });
});

describe('個人番号の変更', () => {
  test('gives a new valid number, keeps the old one as retired, and never writes either into history or outbox', async () => {
    const { head } = await newFamily();
    const reissued = await t.registry.reissueIndividualNumber(t.staff, head.id, { reason: '漏えいにより不正に用いられるおそれ' });
    assert.notEqual(reissued.individualNumber, head.individualNumber);
    assert.ok(isValidIndividualNumber(reissued.individualNumber));
    assert.equal(reissued.residentCode, head.residentCode);
    const retired = await db.selectFrom('registry.retired_individual_numbers').selectAll().where('resident_code', '=', head.residentCode).execute();
    assert.equal(retired.length, 1);
    assert.equal(retired[0]!.individual_number, head.individualNumber);
    assert.equal(retired[0]!.generation, 0);
    assert.equal(retired[0]!.reason, '漏えいにより不正に用いられるおそれ');
    const history = await t.registry.getResidentHistory(read, head.id);
    assert.deepEqual(history.map((e) => e.kind), ['move_in', 'number_reissue']);
    assert.deepEqual(history[1]!.after, { number_generation: 1 });
    const outbox = await outboxFor(head.residentCode);
    assert.deepEqual(outbox.map((m) => m.topic), ['resident.number-reissued']);
    const written = JSON.stringify([history, outbox]);
    assert.ok(!written.includes(head.individualNumber) && !written.includes(reissued.individualNumber));
    // The old number no longer finds anyone; the new one does.
    assert.equal((await t.registry.findResidents(read, { individualNumber: head.individualNumber })).total, 0);
    assert.equal((await t.registry.findResidents(read, { individualNumber: reissued.individualNumber })).total, 1);

    const again = await t.registry.reissueIndividualNumber(t.staff, head.id, { reason: '再度の漏えい' });
    assert.ok(![head.individualNumber, reissued.individualNumber].includes(again.individualNumber));
  });

  test('after nine replacements there is no generation left; a reason is required', async () => {
    const { head } = await newFamily();
    await rejectsWith(t.registry.reissueIndividualNumber(t.staff, head.id, { reason: '' }), 'REGISTRY_RESIDENT_INVALID');
    await db.updateTable('registry.residents').set({ number_generation: 9 }).where('id', '=', head.id).execute();
    await rejectsWith(t.registry.reissueIndividualNumber(t.staff, head.id, { reason: '漏えい' }), 'REGISTRY_NUMBER_GENERATIONS_EXHAUSTED');
  });
});

describe('印鑑登録', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const svg = new TextEncoder().encode('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>');

  test('registers, refuses a second seal, abolishes, registers again with the next number', async () => {
    const { head } = await newFamily();
    const seal = await t.registry.registerSeal(t.staff, head.id, { image: png, imageType: 'image/png', registeredOn: TODAY });
    assert.match(seal.registrationNo, /^IN\d{8}$/);
    assert.equal(seal.status, 'registered');
    await rejectsWith(t.registry.registerSeal(t.staff, head.id, { image: svg, imageType: 'image/svg+xml', registeredOn: TODAY }), 'REGISTRY_SEAL_ALREADY_REGISTERED');
    const abolished = await t.registry.abolishSeal(t.staff, seal.id, { abolishedOn: TODAY });
    assert.equal(abolished.status, 'abolished');
    await rejectsWith(t.registry.abolishSeal(t.staff, seal.id, { abolishedOn: TODAY }), 'REGISTRY_SEAL_ALREADY_ABOLISHED');
    const second = await t.registry.registerSeal(t.staff, head.id, { image: svg, imageType: 'image/svg+xml', registeredOn: TODAY });
    assert.ok(second.registrationNo > seal.registrationNo);
    const seals = await t.registry.listSeals(read, head.id);
    assert.deepEqual(seals.map((s) => s.status), ['abolished', 'registered']);
    const image = await t.registry.getSealImage(read, second.id);
    assert.equal(image.imageType, 'image/svg+xml');
    assert.deepEqual([...image.image], [...svg]);
    await rejectsWith(t.registry.getSealImage({ staff: t.otherStaff, purpose: '確認' }, second.id), 'REGISTRY_SEAL_NOT_FOUND');
  });

  test('only from 15 years of age', async () => {
    const { members: [child, teen] } = await newFamily({ members: [
      { relationship: '子', givenName: '三郎', birthDate: '2011-11-25' },
      { relationship: '子', givenName: '四郎', birthDate: '2011-11-24' },
    ] });
    await rejectsWith(t.registry.registerSeal(t.staff, child!.id, { image: png, imageType: 'image/png', registeredOn: TODAY }), 'REGISTRY_SEAL_NOT_ELIGIBLE');
    assert.equal((await t.registry.registerSeal(t.staff, teen!.id, { image: png, imageType: 'image/png', registeredOn: TODAY })).status, 'registered');
  });

  test('images must be PNG, JPEG or SVG of at most 200 KB, matching their declared type, without scripts', async () => {
    const { head } = await newFamily();
    const attempt = (image: Uint8Array, imageType: string) => t.registry.registerSeal(t.staff, head.id, { image, imageType, registeredOn: TODAY });
    await rejectsWith(attempt(png, 'image/jpeg'), 'REGISTRY_SEAL_IMAGE_INVALID');
    await rejectsWith(attempt(png, 'image/gif'), 'REGISTRY_SEAL_IMAGE_INVALID');
    await rejectsWith(attempt(new Uint8Array(0), 'image/png'), 'REGISTRY_SEAL_IMAGE_INVALID');
    const big = new Uint8Array(200 * 1024 + 1);
    big.set(png);
    const tooBig = await rejectsWith(attempt(big, 'image/png'), 'REGISTRY_SEAL_IMAGE_INVALID');
    assert.equal(tooBig.problems![0]!.code, 'IMAGE_TOO_LARGE');
    await rejectsWith(attempt(new TextEncoder().encode('<html><svg></svg></html>'), 'image/svg+xml'), 'REGISTRY_SEAL_IMAGE_INVALID');
    await rejectsWith(attempt(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml'), 'REGISTRY_SEAL_IMAGE_INVALID');
    await rejectsWith(attempt(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"></svg>'), 'image/svg+xml'), 'REGISTRY_SEAL_IMAGE_INVALID');
    assert.deepEqual(await t.registry.listSeals(read, head.id), []);
  });

  test('a registration date in the future or of someone 転出予定 is refused', async () => {
    const { head } = await newFamily();
    await rejectsWith(t.registry.registerSeal(t.staff, head.id, { image: png, imageType: 'image/png', registeredOn: '2026-11-25' }), 'REGISTRY_DATE_INVALID');
    await t.registry.recordMoveOut(t.staff, head.id, { destination: '大阪府大阪市北区1-1', plannedOn: TODAY });
    await rejectsWith(t.registry.registerSeal(t.staff, head.id, { image: png, imageType: 'image/png', registeredOn: TODAY }), 'REGISTRY_MOVE_OUT_PENDING');
  });
});

describe('課税', () => {
  test('one record per fiscal year: a second recording replaces the first', async () => {
    const { head } = await newFamily();
    await t.registry.recordTax(t.staff, head.id, { fiscalYear: 2025, incomeYen: 4_000_000, taxYen: 200_000 });
    const replaced = await t.registry.recordTax(t.staff, head.id, { fiscalYear: 2025, incomeYen: 4_100_000, taxYen: 205_000 });
    assert.deepEqual(replaced, { residentId: head.id, fiscalYear: 2025, incomeYen: 4_100_000, taxYen: 205_000 });
    await t.registry.recordTax(t.staff, head.id, { fiscalYear: 2027, incomeYen: 0, taxYen: 0 });
    const records = await t.registry.listTaxRecords(read, head.id);
    assert.deepEqual(records.map((r) => [r.fiscalYear, r.incomeYen]), [[2025, 4_100_000], [2027, 0]]);
  });

  test('years 1990..next year, whole non-negative yen', async () => {
    const { head } = await newFamily();
    const error = await rejectsWith(t.registry.recordTax(t.staff, head.id, { fiscalYear: 1989, incomeYen: -1, taxYen: 1.5 }), 'REGISTRY_TAX_RECORD_INVALID');
    assert.deepEqual(error.problems!.map((p) => p.field), ['fiscalYear', 'incomeYen', 'taxYen']);
    await rejectsWith(t.registry.recordTax(t.staff, head.id, { fiscalYear: 2028, incomeYen: 0, taxYen: 0 }), 'REGISTRY_TAX_RECORD_INVALID');
    await rejectsWith(t.registry.recordTax(t.otherStaff, head.id, { fiscalYear: 2025, incomeYen: 0, taxYen: 0 }), 'REGISTRY_RESIDENT_NOT_FOUND');
  });
});

describe('戸籍 and the outbox', () => {
  test('family registers are read within the 本籍地 municipality only', async () => {
    const { head } = await newFamily();
    const id = '11111111-1111-4111-8111-111111111111';
    await db.insertInto('registry.family_registers').values({ id, lg_code: t.lgCode, honseki: '東京都三鷹市野崎一丁目1番地', hittosha: '三鷹太郎', created_at: new Date() }).execute();
    await db.insertInto('registry.family_register_members').values([
      { family_register_id: id, position: 1, family_name: '三鷹', given_name: '太郎', birth_date: '1980-04-01', sex: 'male', relationship: '筆頭者', resident_code: head.residentCode },
      { family_register_id: id, position: 2, family_name: '三鷹', given_name: '一子', birth_date: '2005-01-01', sex: 'female', relationship: '長女', resident_code: null },
    ]).execute();
    const register = await t.registry.getFamilyRegister(read, id);
    assert.equal(register.hittosha, '三鷹太郎');
    assert.deepEqual(register.members.map((m) => m.position), [1, 2]);
    const found = await t.registry.findFamilyRegisters(read, { honseki: '東京都三鷹市野崎一丁目', hittosha: '三鷹太郎' });
    assert.deepEqual(found.map((r) => r.id), [id]);
    await rejectsWith(t.registry.getFamilyRegister({ staff: t.otherStaff, purpose: '確認' }, id), 'REGISTRY_FAMILY_REGISTER_NOT_FOUND');
    assert.deepEqual(await t.registry.findFamilyRegisters({ staff: t.otherStaff, purpose: '確認' }, { hittosha: '三鷹太郎' }), []);
    await rejectsWith(t.registry.findFamilyRegisters(read, {}), 'REGISTRY_RESIDENT_INVALID');
    const audit = await t.platform.audit.listForSubject('resident', head.residentCode);
    assert.ok(audit.some((a) => a.action === 'registry.family-register.read' && a.purpose === read.purpose));
  });

  test('pending messages come oldest first and disappear once consumed', async () => {
    const pending = await t.registry.pendingOutbox(1000);
    assert.ok(pending.length >= 3);
    const ids = pending.map((m) => m.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.ok(pending.every((m) => !JSON.stringify(m.payload).match(/\d{12}/)));
    await t.registry.markOutboxConsumed(ids.slice(0, 2));
    const rest = await t.registry.pendingOutbox(1000);
    assert.deepEqual(rest.map((m) => m.id), ids.slice(2));
    await t.registry.markOutboxConsumed(ids);
    assert.deepEqual(await t.registry.pendingOutbox(), []);
  });
});

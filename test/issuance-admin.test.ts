// コンビニ交付 administration: maintenance windows (list, end early, remove) through the CLI's operator client and the CLI itself, J-LIS's operating-charge statement, and the store commission periods from configuration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestPlatform, TEST_NOW, type TestPlatform } from './support/test-platform.ts';
import { bin, root } from './support/cli-server.ts';
import { newResident } from './support/jpki-fixtures.ts';
import { fixedClock, formatJst } from '../src/kernel/clock.ts';
import { verifyAuditChain } from '../src/kernel/audit/verify-audit-chain.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { PlatformError } from '../src/kernel/errors.ts';
import { remoteOperations } from '../src/cli/remote-operations.ts';
import type { PlatformOperations } from '../src/platform/platform-operations.ts';
import { CardClient, digestInfo, inProcessTransport, syntheticPortrait } from '../src/modules/card/index.ts';
import { DEFAULT_COMMISSION_PERIODS, kioskClient, operatingChargeCsv, type KioskCard } from '../src/modules/issuance/index.ts';
import { injectFetch } from '../src/http/inject-fetch.ts';

const OPS_TOKEN = 'issuance-admin-test-operator-token';
const HOUR = 3600_000;

/** The platform listening on a free port, and the CLI's own client for its /ops/v1 routes. */
async function listening(t: TestPlatform): Promise<{ ops: PlatformOperations; url: string }> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  return { url, ops: remoteOperations({ pid: process.pid, url, opsToken: OPS_TOKEN, startedAt: TEST_NOW }) };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e instanceof PlatformError && e.code === code);
}

describe('maintenance windows: list, end now, remove', () => {
  let t: TestPlatform;
  let ops: PlatformOperations;
  let url = '';
  const now = new Date(TEST_NOW); // 10:00 JST, within the service hours
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();
  before(async () => {
    t = await createTestPlatform({ opsToken: OPS_TOKEN });
    ({ ops, url } = await listening(t));
  });
  after(() => t.close());

  /** The kiosk's own question to the centre. */
  async function availability(): Promise<{ open: boolean; reason?: string; reopensAt?: string }> {
    return (await fetch(`${url}/issuance/centre/v1/availability`)).json() as Promise<{ open: boolean; reason?: string; reopensAt?: string }>;
  }

  test('added windows are listed by start, per municipality (with the whole service\'s) or the whole service\'s only; ending and removing change what the kiosk sees', async () => {
    const global = await ops.issuanceMaintenance({ lgCode: null, from: at(-1), until: at(2), reason: '全体保守' });
    const mitaka = await ops.issuanceMaintenance({ lgCode: '132047', from: at(24), until: at(27), reason: '三鷹市サーバ更新' });
    const chiyoda = await ops.issuanceMaintenance({ lgCode: '131016', from: at(48), until: at(50), reason: '千代田区サーバ更新' });
    const past = await ops.issuanceMaintenance({ lgCode: null, from: at(-5), until: at(-3), reason: '終わった保守' });
    assert.match(global.id, /^\d+$/);
    assert.deepEqual([global.state, mitaka.state, chiyoda.state, past.state], ['current', 'upcoming', 'upcoming', 'ended']);

    const all = await ops.issuanceMaintenanceList({});
    assert.deepEqual(all.map((w) => [w.id, w.lgCode, w.from, w.until, w.reason, w.state]), [
      [global.id, null, at(-1), at(2), '全体保守', 'current'],
      [mitaka.id, '132047', at(24), at(27), '三鷹市サーバ更新', 'upcoming'],
      [chiyoda.id, '131016', at(48), at(50), '千代田区サーバ更新', 'upcoming'],
    ], 'past windows are not listed');
    assert.deepEqual((await ops.issuanceMaintenanceList({ lgCode: '132047' })).map((w) => w.id), [global.id, mitaka.id]);
    assert.deepEqual((await ops.issuanceMaintenanceList({ lgCode: null })).map((w) => w.id), [global.id]);

    // The current window closes the service; ending it now reopens it at once.
    const closed = await availability();
    assert.deepEqual([closed.open, closed.reason, closed.reopensAt], [false, 'maintenance', at(2)]);
    const ended = await ops.issuanceMaintenanceEnd({ id: global.id });
    assert.equal(ended.outcome, 'ended');
    assert.deepEqual([ended.window.from, ended.window.until, ended.window.state], [at(-1), now.toISOString(), 'ended']);
    assert.equal((await availability()).open, true);
    assert.deepEqual((await ops.issuanceMaintenanceList({})).map((w) => w.id), [mitaka.id, chiyoda.id]);
    // Ending it again changes nothing.
    const again = await ops.issuanceMaintenanceEnd({ id: global.id });
    assert.deepEqual([again.outcome, again.window.until], ['already_ended', now.toISOString()]);

    // A window that has not started is simply removed by "end".
    const dropped = await ops.issuanceMaintenanceEnd({ id: mitaka.id });
    assert.deepEqual([dropped.outcome, dropped.window.until, dropped.window.state], ['removed', at(27), 'upcoming']);
    await rejectsWith(ops.issuanceMaintenanceEnd({ id: mitaka.id }), 'ISSUANCE_MAINTENANCE_NOT_FOUND');

    const removed = await ops.issuanceMaintenanceRemove({ id: chiyoda.id });
    assert.deepEqual([removed.id, removed.lgCode, removed.reason], [chiyoda.id, '131016', '千代田区サーバ更新']);
    assert.deepEqual(await ops.issuanceMaintenanceList({}), []);
    // A past window can be removed too.
    assert.equal((await ops.issuanceMaintenanceRemove({ id: past.id })).state, 'ended');
    const left = await t.platform.database.db.selectFrom('issuance.maintenance_windows').select('id').execute();
    assert.deepEqual(left.map((r) => String(r.id)), [global.id]);

    // Every change is in the audit log, removed windows included; "already ended" changed nothing and is not.
    const audited = await t.platform.database.db.selectFrom('audit.records').select(['action', 'lg_code', 'detail'])
      .where('action', 'like', 'issuance.maintenance.%').orderBy('seq').execute();
    assert.deepEqual(audited.map((r) => [r.action, r.lg_code, r.detail.windowId, r.detail.reason]), [
      ['issuance.maintenance.schedule', null, global.id, '全体保守'],
      ['issuance.maintenance.schedule', '132047', mitaka.id, '三鷹市サーバ更新'],
      ['issuance.maintenance.schedule', '131016', chiyoda.id, '千代田区サーバ更新'],
      ['issuance.maintenance.schedule', null, past.id, '終わった保守'],
      ['issuance.maintenance.end', null, global.id, '全体保守'],
      ['issuance.maintenance.remove', '132047', mitaka.id, '三鷹市サーバ更新'],
      ['issuance.maintenance.remove', '131016', chiyoda.id, '千代田区サーバ更新'],
      ['issuance.maintenance.remove', null, past.id, '終わった保守'],
    ]);
    assert.deepEqual([audited[4]!.detail.from, audited[4]!.detail.until], [at(-1), now.toISOString()], 'the end records the shortened window');
    assert.equal((await verifyAuditChain(t.platform.database.db)).ok, true);
  });

  test('unknown ids and bad input are problem+json with stable codes, never a 500; the routes need the operator token', async () => {
    for (const id of ['999999', 'abc', '0', '99999999999999999999999', '1; DROP TABLE x']) {
      await rejectsWith(ops.issuanceMaintenanceEnd({ id }), 'ISSUANCE_MAINTENANCE_NOT_FOUND');
      await rejectsWith(ops.issuanceMaintenanceRemove({ id }), 'ISSUANCE_MAINTENANCE_NOT_FOUND');
    }
    const auth = { authorization: `Bearer ${OPS_TOKEN}` };
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
      const response = await fetch(`${url}/ops/v1${path}`, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.json() as { code?: string } };
    };
    const cases: [string, string, unknown, number, string][] = [
      ['DELETE', '/issuance/maintenance/424242', undefined, 404, 'ISSUANCE_MAINTENANCE_NOT_FOUND'],
      ['POST', '/issuance/maintenance/424242/end', undefined, 404, 'ISSUANCE_MAINTENANCE_NOT_FOUND'],
      ['POST', '/issuance/maintenance', undefined, 400, 'KERNEL_REQUEST_INVALID'],
      ['POST', '/issuance/maintenance', { lgCode: null, from: at(2), until: at(1), reason: '逆' }, 400, 'ISSUANCE_REQUEST_INVALID'],
      ['POST', '/issuance/maintenance', { lgCode: null, from: 'tomorrow', until: at(1), reason: 'x' }, 400, 'ISSUANCE_REQUEST_INVALID'],
      ['POST', '/issuance/maintenance', { lgCode: '12', from: at(1), until: at(2), reason: 'x' }, 400, 'ISSUANCE_REQUEST_INVALID'],
      ['POST', '/issuance/maintenance', { lgCode: null, from: at(1), until: at(2), reason: '  ' }, 400, 'ISSUANCE_REQUEST_INVALID'],
      ['GET', '/issuance/maintenance?lgCode=12', undefined, 400, 'ISSUANCE_REQUEST_INVALID'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const answer = await call(method, path, body);
      assert.deepEqual([answer.status, answer.body.code], [status, code], `${method} ${path} ${JSON.stringify(body)}`);
      assert.match(answer.type, /^application\/problem\+json/);
    }
    for (const [method, path] of [['GET', '/issuance/maintenance'], ['POST', '/issuance/maintenance/1/end'], ['DELETE', '/issuance/maintenance/1']] as const) {
      assert.equal((await call(method, path, undefined, { authorization: 'Bearer wrong' })).body.code, 'KERNEL_AUTH_INVALID', `${method} ${path} without the token`);
    }
    assert.deepEqual(await ops.issuanceMaintenanceList({}), [], 'nothing was added by the refused requests');
  });
});

describe('the CLI: `issuance maintenance` with the old flags still adds; list shows it', () => {
  test('add (no subcommand), list, end', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'myna-maintenance-cli-'));
    try {
      const env = { ...process.env, MYNA_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'error', MYNA_DEMO_MUNICIPALITY: '' };
      const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'issuance', 'maintenance', ...args], { cwd: root, env, encoding: 'utf8' });
      // Real time: a window that starts in a day is upcoming whatever the hour the test runs.
      const from = new Date(Date.now() + 24 * HOUR);
      const until = new Date(from.getTime() + 2 * HOUR);
      const added = cli('--from', from.toISOString(), '--until', until.toISOString(), '--reason', '定期保守', '--lg-code', '132047');
      assert.equal(added.status, 0, added.stderr);
      assert.ok(added.stdout.includes(`団体 132047の停止を登録しました: ${formatJst(from)} 〜 ${formatJst(until)}（定期保守）ID `), added.stdout);
      const id = /ID (\d+)/.exec(added.stdout)![1]!;
      const listed = cli('list', '--lg-code', '132047');
      assert.equal(listed.status, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^ID ${id}  団体 132047  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} JST 〜 .* JST  予定  定期保守$`, 'm'));
      const ended = cli('end', id);
      assert.equal(ended.status, 0, ended.stderr);
      assert.match(ended.stdout, /まだ始まっていない停止だったため、予定を取り消しました/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('J-LIS operating charge statement', () => {
  let t: TestPlatform;
  let ops: PlatformOperations;
  let url = '';
  // Populations on and around the FY2017 table's class boundaries (test/vectors/jlis-konbini-operating-charge-tiers-fy2017.csv).
  const MUNICIPALITIES = [
    { lgCode: '132012', name: '八王子市', nameKana: 'ハチオウジシ', prefecture: '東京都', population: 150_000 },
    { lgCode: '132021', name: '立川市', nameKana: 'タチカワシ', prefecture: '東京都', population: 149_999 },
    { lgCode: '132039', name: '武蔵野市', nameKana: 'ムサシノシ', prefecture: '東京都', population: 150_001 },
    { lgCode: '132063', name: '府中市', nameKana: 'フチュウシ', prefecture: '東京都', population: 50_000 },
    { lgCode: '132080', name: '調布市', nameKana: 'チョウフシ', prefecture: '東京都', population: 49_999 },
    { lgCode: '132098', name: '町田市', nameKana: 'マチダシ', prefecture: '東京都', population: 50_001 },
    { lgCode: '141305', name: '川崎市', nameKana: 'カワサキシ', prefecture: '神奈川県', population: 1_000_000 },
    { lgCode: '141500', name: '相模原市', nameKana: 'サガミハラシ', prefecture: '神奈川県', population: 999_999 },
  ];

  /** Takes part the way municipal staff do it: PUT /offers with the municipality's API key. */
  async function join(lgCode: string): Promise<void> {
    const { apiKey } = await t.registry.createApiKey(lgCode, '試験 職員');
    const response = await t.app.inject({ method: 'PUT', url: `/issuance/municipal/v1/${lgCode}/offers`, headers: { 'x-api-key': apiKey }, payload: { offers: [{ type: 'juminhyo', feeYen: 200 }] } });
    assert.equal(response.statusCode, 204, response.body);
  }

  before(async () => {
    t = await createTestPlatform({ opsToken: OPS_TOKEN, clock: fixedClock('2026-11-24T03:00:00Z') });
    ({ ops, url } = await listening(t));
    for (const m of MUNICIPALITIES) await t.registry.registerMunicipality(m);
    await t.registry.registerMunicipality({ lgCode: '133035', name: '瑞穂町', nameKana: 'ミズホマチ', prefecture: '東京都', population: 33_000 });
    for (const lgCode of [t.lgCode, t.otherLgCode, ...MUNICIPALITIES.map((m) => m.lgCode)]) await join(lgCode);
  });
  after(() => t.close());

  test('FY2026: each participant\'s population, class and yearly charge, on and one past each class boundary', async () => {
    const lines = await ops.issuanceOperatingCharge({ fiscalYear: 2026 });
    const byCode = new Map(lines.map((l) => [l.lgCode, [l.population, l.classJa, l.yenPerYear]]));
    assert.deepEqual(Object.fromEntries(byCode), {
      131016: [68_000, '市（区）5万〜15万', 2_700_000], // 千代田区: a ward is charged as a 市
      132012: [150_000, '市（区）15万以上', 4_700_000], // exactly on the boundary
      132021: [149_999, '市（区）5万〜15万', 2_700_000], // one below it
      132039: [150_001, '市（区）15万以上', 4_700_000], // one above it
      132047: [190_000, '市（区）15万以上', 4_700_000], // 三鷹市
      132063: [50_000, '市（区）5万〜15万', 2_700_000],
      132080: [49_999, '市 5万未満', 2_200_000],
      132098: [50_001, '市（区）5万〜15万', 2_700_000],
      141305: [1_000_000, '政令市（100万以上）', 9_700_000],
      141500: [999_999, '政令市（100万未満）', 7_700_000],
    });
    assert.deepEqual(lines.map((l) => l.lgCode), [...lines.map((l) => l.lgCode)].sort(), 'by LG code');
    const csv = operatingChargeCsv(lines).split('\n');
    assert.equal(csv[0], '年度,地方公共団体コード,団体名,人口,区分,運営負担金（円/年）,参加日');
    assert.ok(csv.includes('2026,132047,三鷹市,190000,市（区）15万以上,4700000,2026-11-24'), csv.join('\n'));
    assert.equal(csv.length, lines.length + 2, 'header, lines, final newline');
  });

  test('only municipalities that take part by the end of the fiscal year (31 March JST)', async () => {
    assert.deepEqual(await ops.issuanceOperatingCharge({ fiscalYear: 2025 }), [], 'nobody had joined by 2026-03-31');
    t.clock.set('2027-04-02T03:00:00Z');
    try {
      await join('133035');
      assert.ok(!(await ops.issuanceOperatingCharge({ fiscalYear: 2026 })).some((l) => l.lgCode === '133035'));
      const fy2027 = (await ops.issuanceOperatingCharge({ fiscalYear: 2027 })).find((l) => l.lgCode === '133035');
      assert.deepEqual([fy2027?.classJa, fy2027?.yenPerYear, fy2027?.joinedOn], ['町村', 700_000, '2027-04-02']);
    } finally {
      t.clock.set('2026-11-24T03:00:00Z');
    }
  });

  test('bad fiscal years are 400 problems; the route needs the operator token like the settlement route', async () => {
    await rejectsWith(ops.issuanceOperatingCharge({ fiscalYear: 2016 }), 'ISSUANCE_REQUEST_INVALID');
    await rejectsWith(ops.issuanceOperatingCharge({ fiscalYear: 2026.5 }), 'KERNEL_REQUEST_INVALID');
    await rejectsWith(t.platform.issuance.operatingCharges(Number.NaN), 'ISSUANCE_REQUEST_INVALID');
    for (const body of [undefined, '{"fiscalYear":"abc"}', '{}']) {
      const response = await fetch(`${url}/ops/v1/issuance/operating-charge`, { method: 'POST', headers: { authorization: `Bearer ${OPS_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body } : {}) });
      assert.equal(response.status, 400, String(body));
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
    for (const path of ['/issuance/operating-charge', '/issuance/settlement']) {
      const response = await fetch(`${url}/ops/v1${path}`, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{"fiscalYear":2026,"month":"2026-11"}' });
      assert.deepEqual([response.status, ((await response.json()) as { code: string }).code], [401, 'KERNEL_AUTH_INVALID'], path);
    }
  });
});

describe('the store commission per copy, from MYNA_ISSUANCE_COMMISSION_PERIODS', () => {
  const NAME = 'MYNA_ISSUANCE_COMMISSION_PERIODS';

  test('the default is the seeds\' periods; a list is read in order', () => {
    assert.deepEqual(loadConfig({}).issuanceCommissionPeriods, DEFAULT_COMMISSION_PERIODS);
    assert.deepEqual(loadConfig({ [NAME]: ' 2010-02-01:123, 2017-04-01:115,2027-04-01:0' }).issuanceCommissionPeriods,
      [{ from: '2010-02-01', yen: 123 }, { from: '2017-04-01', yen: 115 }, { from: '2027-04-01', yen: 0 }]);
  });

  test('bad values stop the start with KERNEL_CONFIG_INVALID naming the variable', () => {
    const bad = {
      unsorted: '2017-04-01:115,2010-02-01:123',
      duplicate: '2010-02-01:123,2017-04-01:115,2017-04-01:110',
      'decimal yen': '2010-02-01:123,2017-04-01:115.5',
      'negative yen': '2010-02-01:-1',
      'huge yen': '2010-02-01:99999',
      'no yen': '2010-02-01',
      'not a date': 'soon:115',
      'impossible date': '2010-02-01:123,2017-02-30:115',
      'slashes': '2010/02/01:123',
      'trailing comma': '2010-02-01:123,',
      'starts after the service began': '2017-04-01:115',
    };
    for (const [label, value] of Object.entries(bad)) {
      assert.throws(() => loadConfig({ [NAME]: value }), (e: unknown) => {
        assert.ok(e instanceof PlatformError, label);
        assert.equal(e.code, 'KERNEL_CONFIG_INVALID', label);
        assert.deepEqual(e.problems?.map((p) => p.field), [NAME], label);
        assert.ok(e.detail?.startsWith(`${NAME}: `), `${label}: ${e.detail}`);
        return true;
      }, label);
    }
  });

  describe('a configured change of commission', () => {
    let t: TestPlatform;
    let kioskCard: KioskCard;
    let credential = '';
    before(async () => {
      t = await createTestPlatform({ clock: fixedClock('2026-11-30T03:00:00Z'), env: { [NAME]: '2010-02-01:123,2017-04-01:115,2026-12-01:120' } });
      await t.platform.jpki.initCertificateAuthorities();
      credential = (await t.platform.issuance.setUpDemo(t.lgCode)).kioskCredential;
      const pins = { auth: '2580', sign: 'KIOSK2026', kenhojo: '1470', juki: '3690' };
      const resident = await newResident(t);
      const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online', photo: { bytes: syntheticPortrait('c'), type: 'image/jpeg' } });
      const produced = await t.platform.card.produce(application.id);
      const card = await t.platform.card.handOver(t.staff, produced.id, { identityCheck: { documents: ['運転免許証'], checkedBy: '窓口' }, pins });
      const client = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
      kioskCard = { authCertificate: () => client.readCertificate('auth'), signChallenge: (challenge, pin) => client.sign('auth', digestInfo(challenge), pin) };
    });
    after(() => t.close());

    test('a copy printed before the change date (JST) carries 115 yen, one printed from it 120 yen', async () => {
      const print = () => kioskClient('http://platform.test', credential, injectFetch(t.app)).run(kioskCard, { pin: '2580', type: 'juminhyo' });
      await print(); // 2026-11-30 12:00 JST
      t.clock.set('2026-11-30T21:45:00Z'); // 2026-12-01 06:45 JST: still 30 November in UTC
      await print();
      const rows = await t.platform.database.db.selectFrom('issuance.settlement_rows').select(['month', 'commission_yen']).orderBy('printed_at').execute();
      assert.deepEqual(rows.map((r) => [r.month, r.commission_yen]), [['2026-11', 115], ['2026-12', 120]]);
      assert.equal((await t.platform.issuance.settlement('2026-12', { lgCode: t.lgCode }))[0]?.commissionYen, 120);
      assert.equal((await t.platform.issuance.settlement('2026-11', { lgCode: t.lgCode }))[0]?.commissionYen, 115);
    });
  });
});

// docs/errors.md lists exactly the error codes the code can raise, with the same HTTP status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kernelErrors } from '../src/kernel/errors.ts';
import { registryErrors } from '../src/modules/registry/index.ts';
import { jpkiErrors } from '../src/modules/jpki/index.ts';
import { cardErrors } from '../src/modules/card/index.ts';
import { issuanceErrors } from '../src/modules/issuance/index.ts';

const catalogues = { ...kernelErrors, ...registryErrors, ...jpkiErrors, ...cardErrors, ...issuanceErrors };

test('every code in the code is documented with its status, and nothing else is', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  const documented = new Map(rows);
  assert.equal(documented.size, rows.length, 'a code is listed twice');
  for (const [code, def] of Object.entries(catalogues)) {
    assert.equal(documented.get(code), def.status, `${code} documented with status ${def.status}`);
  }
  for (const code of documented.keys()) assert.ok(code in catalogues, `${code} is documented but not defined`);
});

test('codes follow <MODULE>_<THING>_<REASON>', () => {
  for (const code of Object.keys(catalogues)) assert.match(code, /^(KERNEL|REGISTRY|JPKI|CARD|ISSUANCE)_[A-Z0-9]+(_[A-Z0-9]+)+$/);
});

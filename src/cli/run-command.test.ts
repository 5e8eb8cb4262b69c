// The CLI's error output: code, message, detail and problems, with an individual number typed by the operator masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlatformError } from '../kernel/errors.ts';
import { printError } from './run-command.ts';

function stderrOf(run: () => void): string {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => { lines.push(args.join(' ')); };
  try {
    run();
  } finally {
    console.error = original;
  }
  return lines.join('\n');
}

test('a platform error prints its code, message, detail and problems; an individual number in them is masked', () => {
  const error = new PlatformError('REGISTRY_IMPORT_INVALID', 422, '取込ファイルに誤りがあります', {
    detail: '個人番号 123456789018 の行を確認してください',
    problems: [{ line: 3, field: 'individual_number', reason: '「1234-5678-9018」は個人番号として正しくありません', code: 'CHECK_DIGIT' }],
  });
  const out = stderrOf(() => printError(error));
  assert.match(out, /^エラー \[REGISTRY_IMPORT_INVALID\]: 取込ファイルに誤りがあります/);
  assert.match(out, /個人番号 \[個人番号\] の行/);
  assert.match(out, /- 3行目 列 individual_number: 「\[個人番号\]」は個人番号として正しくありません \(CHECK_DIGIT\)/);
  assert.doesNotMatch(out, /123456789018|1234-5678-9018/);
  assert.match(out, /次の手順: 上の行を修正して再実行してください/);
});

test('any other error prints its message, masked, and what to do next', () => {
  const out = stderrOf(() => printError(new Error('lookup failed for 123456789018')));
  assert.equal(out, 'エラー: lookup failed for [個人番号]\n次の手順: LOG_LEVEL=debug で再実行し、ログを確認してください。');
});

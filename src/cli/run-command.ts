// Runs a CLI action with uniform error output: a PlatformError prints its code, message and problems, then a hint; exit 2.
import { PlatformError } from '../kernel/errors.ts';
import { redactText } from '../kernel/redact.ts';

const MAX_PROBLEMS_SHOWN = 200;

/** Wraps a commander action so failures print clearly and set the exit code. */
export function runCommand<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      printError(error);
      process.exitCode = 2;
    }
  };
}

export function printError(error: unknown): void {
  if (error instanceof PlatformError) {
    console.error(`エラー [${error.code}]: ${error.message}`);
    // The detail and the reasons may quote what was typed: an individual number there is masked as in a log.
    if (error.detail) console.error(`  ${redactText(error.detail)}`);
    const problems = error.problems ?? [];
    for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) {
      const where = [p.line !== undefined ? `${p.line}行目` : '', p.field ? `列 ${p.field}` : ''].filter(Boolean).join(' ');
      console.error(`  - ${where ? `${where}: ` : ''}${redactText(p.reason)}${p.code ? ` (${p.code})` : ''}`);
    }
    if (problems.length > MAX_PROBLEMS_SHOWN) console.error(`  … ほか ${problems.length - MAX_PROBLEMS_SHOWN} 件`);
    console.error(hintFor(error.code));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`エラー: ${redactText(message)}`);
  console.error('次の手順: LOG_LEVEL=debug で再実行し、ログを確認してください。');
}

function hintFor(code: string): string {
  if (code === 'REGISTRY_IMPORT_INVALID' || code === 'REGISTRY_IMPORT_MALFORMED') return '次の手順: 上の行を修正して再実行してください（形式は docs/registry-import.md）。何も取り込まれていません。';
  if (code === 'REGISTRY_MUNICIPALITY_NOT_FOUND') return '次の手順: `myna-platform municipality add` で地方公共団体を登録してください。';
  if (code === 'KERNEL_DB_UNAVAILABLE') return '次の手順: DATABASE_URL とデータベースサーバーの稼働を確認してください。';
  if (code === 'CARD_PIN_BLOCKED') return '次の手順: 暗証番号がロックされています。住所地の市区町村の窓口で暗証番号の初期化（再設定）を申請してください。';
  if (code === 'CARD_PIN_INCORRECT') return '次の手順: 暗証番号を確かめてください。規定の回数を間違えるとロックされます（`card pin-status` で残り回数を確認できます）。';
  if (code.startsWith('CARD_PCSC') || code === 'CARD_VPCD_UNREACHABLE') return '次の手順: apt-get install pcscd vsmartcard-vpcd opensc の後、pcscd --foreground を起動してください（README「実物のカードと PC/SC」）。';
  if (code.startsWith('KERNEL_AUTH')) return '次の手順: サーバーを再起動するか、server.json を確認してください。';
  return '詳細は docs/errors.md を参照してください。';
}

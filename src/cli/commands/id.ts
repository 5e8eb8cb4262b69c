// `myna-platform id check|make`: validate an identifier or add its check digit, for operators and scripts.
import type { Command } from 'commander';
import { checkId, ID_KINDS, isIdKind, makeId, type IdKind } from '../../kernel/ids/check-digits.ts';
import { PlatformError } from '../../kernel/errors.ts';

/** Exit status for a malformed command line or input, as distinct from "checked and invalid" (1). */
const EXIT_USAGE = 2;

const KIND_HELP = `番号の種類 / identifier kind: ${ID_KINDS.join(' | ')}`;

/**
 * Resolves --kind, or reports why not and sets the usage exit status. Validated here rather than
 * with commander's choices() so that a bad kind exits 2 like every other usage error of ours.
 */
function kindOrFail(kind: string | undefined): IdKind | undefined {
  if (kind !== undefined && isIdKind(kind)) return kind;
  process.stderr.write(
    kind === undefined
      ? `--kind を指定してください / --kind is required (${ID_KINDS.join(', ')})\n`
      : `不明な番号の種類です。${ID_KINDS.join(', ')} のいずれかを指定してください / unknown --kind "${kind}"; use one of ${ID_KINDS.join(', ')}\n`,
  );
  process.exitCode = EXIT_USAGE;
  return undefined;
}

/**
 * Adds `id check` (exit 0 valid, 1 invalid, 2 usage error) and `id make` (prints the full
 * identifier; exit 2 on bad base digits) to the program.
 */
export function registerIdCommands(program: Command): void {
  const id = program
    .command('id')
    .description('番号の検証とチェックデジットの付与 / check identifiers and compute check digits')
    // commander exits 1 on a usage error (missing argument, unknown option), which `id check`
    // uses for "invalid"; scripts must be able to tell the two apart. Inherited by the
    // subcommands below, so it must be set before they are created.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE));

  id.command('check')
    .description('番号のチェックデジットを検証する / validate an identifier and its check digit')
    .option('--kind <kind>', KIND_HELP)
    .argument('<digits>', '検証する番号 / the full identifier')
    .action((digits: string, options: { kind?: string }) => {
      const kind = kindOrFail(options.kind);
      if (kind === undefined) return;
      const result = checkId(kind, digits);
      if (result.valid) {
        process.stdout.write('有効 / valid\n');
      } else {
        process.stdout.write(`無効 / invalid: ${result.reason}\n`);
        process.exitCode = 1;
      }
    });

  id.command('make')
    .description('チェックデジットを付けた番号を作る / build an identifier from its base digits')
    .option('--kind <kind>', KIND_HELP)
    .argument('<base>', 'チェックデジットを除いた番号 / the base digits, without the check digit')
    .action((base: string, options: { kind?: string }) => {
      const kind = kindOrFail(options.kind);
      if (kind === undefined) return;
      try {
        process.stdout.write(`${makeId(kind, base)}\n`);
      } catch (error) {
        if (!(error instanceof PlatformError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = EXIT_USAGE;
      }
    });
}

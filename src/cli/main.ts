// The `myna-platform` command line: parses arguments and calls the same use cases as the HTTP API.
import { Command } from 'commander';
import { registerIdCommands } from './commands/id.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerDataCommands } from './commands/data.ts';
import { registerJpkiCommands } from './commands/jpki.ts';
import { registerCardCommands } from './commands/card.ts';
import { registerIssuanceCommands } from './commands/issuance.ts';

const program = new Command();
program
  .name('myna-platform')
  .description('マイナンバーカード基盤 (myna-platform) の管理コマンド / My Number card platform CLI')
  .showHelpAfterError();

registerStartCommand(program);
registerDataCommands(program);
registerIdCommands(program);
registerJpkiCommands(program);
registerCardCommands(program);
registerIssuanceCommands(program);

await program.parseAsync(process.argv);

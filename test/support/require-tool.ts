// Outside tools (openssl, later chromium, opensc…): a test runs when the tool is there, says how to install it when not, and fails in CI.
import { spawnSync } from 'node:child_process';

/**
 * The `skip` option of a test that needs `tool`: false when the tool is on PATH; otherwise the
 * install hint (the test is reported as skipped with it), except under CI=true, where a missing
 * tool is an error (CI installs every tool: .ci/run).
 *
 * @example
 * test('openssl verifies it', { skip: missingTool('openssl', 'apt-get install -y openssl') }, () => { … });
 */
export function missingTool(tool: string, install: string): false | string {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
  if (found) return false;
  if (process.env['CI'] === 'true') throw new Error(`${tool} is required in CI but missing; .ci/run must install it (${install})`);
  return `${tool} が見つかりません。インストールしてください: ${install}`;
}

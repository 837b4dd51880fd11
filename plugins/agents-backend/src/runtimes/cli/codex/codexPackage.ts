import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliPackage } from '../CliInstaller';

/** The Codex version the runtime is tested with. */
export const CODEX_VERSION = '0.169.0';

/**
 * `@openai/codex` at a version: a Node launcher that finds the native binary of its platform
 * package and replaces itself with it (execve), so signals reach the native process.
 */
export function codexPackage(version = CODEX_VERSION): CliPackage {
  return {
    name: 'codex',
    packageName: '@openai/codex',
    version,
    resolve(installDir) {
      const modules = path.join(installDir, 'node_modules', '@openai');
      const launcher = path.join(modules, 'codex', 'bin', 'codex.js');
      const platform = `codex-${process.platform}-${process.arch}`;
      if (!existsSync(launcher) || !existsSync(path.join(modules, platform))) {
        return undefined;
      }
      return { file: process.execPath, args: [launcher] };
    },
  };
}

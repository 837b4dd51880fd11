import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliPackage } from '../CliInstaller';

/** The Claude Code version the runtime is tested with. */
export const CLAUDE_CODE_VERSION = '2.1.331';

function isMusl(): boolean {
  const report = process.report?.getReport() as
    | { header?: { glibcVersionRuntime?: string } }
    | undefined;
  return process.platform === 'linux' && !report?.header?.glibcVersionRuntime;
}

/**
 * `@anthropic-ai/claude-code` at a version. Its postinstall only copies the native binary of the
 * platform package over a placeholder, so the install skips scripts and runs that binary directly.
 */
export function claudeCodePackage(version = CLAUDE_CODE_VERSION): CliPackage {
  return {
    name: 'claude-code',
    packageName: '@anthropic-ai/claude-code',
    version,
    resolve(installDir) {
      const platform = `${process.platform}-${process.arch}`;
      const binary = process.platform === 'win32' ? 'claude.exe' : 'claude';
      const candidates = isMusl()
        ? [`${platform}-musl`, platform]
        : [platform, `${platform}-musl`];
      for (const candidate of candidates) {
        const file = path.join(
          installDir,
          'node_modules',
          '@anthropic-ai',
          `claude-code-${candidate}`,
          binary,
        );
        if (existsSync(file)) {
          return { file, args: [] };
        }
      }
      return undefined;
    },
  };
}

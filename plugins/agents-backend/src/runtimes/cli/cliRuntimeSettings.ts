import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import os from 'node:os';
import path from 'node:path';
import { CliInstaller, defaultCliCacheDir } from './CliInstaller';

/** What both CLI runtime modules read from `agents.runtimes.cli` and their own section. */
export interface CliRuntimeSettings {
  installer: CliInstaller;
  sessionsDir: string;
  version?: string;
  executable?: string;
  installOnDemand: boolean;
  baseUrl?: string;
  apiKey?: string;
}

/** Reads the shared CLI settings and the runtime's section, e.g. `agents.runtimes.codex`. */
export function readCliRuntimeSettings(
  config: Config,
  section: Config,
  logger: LoggerService,
): CliRuntimeSettings {
  const dataDir = process.env.KRATE_DATA_DIR || os.tmpdir();
  return {
    installer: new CliInstaller({
      cacheDir:
        config.getOptionalString('agents.runtimes.cli.cacheDir') ??
        defaultCliCacheDir(),
      logger,
    }),
    sessionsDir: path.resolve(
      config.getOptionalString('agents.runtimes.cli.sessionsDir') ??
        path.join(dataDir, 'agent-cli-sessions'),
    ),
    version: section.getOptionalString('version'),
    executable: section.getOptionalString('executable'),
    installOnDemand: section.getOptionalBoolean('installOnDemand') ?? false,
    baseUrl: section.getOptionalString('baseUrl'),
    apiKey: section.getOptionalString('apiKey'),
  };
}

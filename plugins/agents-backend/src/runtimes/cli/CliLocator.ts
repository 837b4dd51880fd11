import { AgentRuntimeAvailability } from '@krate/plugin-agents-node';
import { NotFoundError } from '@backstage/errors';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CliCommand, CliInstaller, CliPackage } from './CliInstaller';

/** Options of {@link CliLocator}. */
export interface CliLocatorOptions {
  /** Shown in messages, e.g. `Claude Code`. */
  displayName: string;
  pkg: CliPackage;
  /** The managed install; used unless `executable` is set. */
  installer?: CliInstaller;
  /** An executable to use instead of the managed install (a `.js` file runs with this Node). */
  executable?: string;
  /** Install the pinned version when an attempt needs it and it is missing. */
  installOnDemand?: boolean;
  /** The config key that turns on `installOnDemand`, for the hint. */
  installOnDemandKey: string;
}

const VERSION_TIMEOUT_MS = 15_000;

/** Finds a runtime's CLI: a configured executable or the pinned managed install. */
export class CliLocator {
  readonly #options: CliLocatorOptions;

  constructor(options: CliLocatorOptions) {
    if (!options.installer && !options.executable) {
      throw new Error(
        `${options.displayName}: an installer or an executable is required`,
      );
    }
    this.#options = options;
  }

  /** The command if the CLI is there, without installing it. */
  find(): CliCommand | undefined {
    const { executable, installer, pkg } = this.#options;
    if (executable) {
      if (!existsSync(executable)) {
        return undefined;
      }
      return /\.[cm]?js$/.test(executable)
        ? { file: process.execPath, args: [executable] }
        : { file: executable, args: [] };
    }
    return installer?.find(pkg);
  }

  /** The command to run, installing the pinned version first when allowed. */
  async command(): Promise<CliCommand> {
    const found = this.find();
    if (found) {
      return found;
    }
    const { installer, installOnDemand, pkg, displayName } = this.#options;
    if (installer && installOnDemand) {
      return installer.install(pkg);
    }
    throw new NotFoundError(
      `${displayName} CLI is not installed; ${this.#hint()}`,
    );
  }

  async availability(): Promise<AgentRuntimeAvailability> {
    const { displayName, installOnDemand, installer } = this.#options;
    const command = this.find();
    if (!command) {
      if (installer && installOnDemand) {
        return {
          available: true,
          detail: `${displayName} CLI is installed on first use`,
        };
      }
      return {
        available: false,
        reason: `${displayName} CLI is not installed`,
        hint: this.#hint(),
      };
    }
    try {
      const version = await CliLocator.version(command);
      return { available: true, detail: version };
    } catch (error) {
      return {
        available: false,
        reason: `${displayName} CLI does not start: ${
          (error as Error).message
        }`,
        hint: this.#hint(),
      };
    }
  }

  #hint(): string {
    const { executable, installer, pkg, installOnDemandKey } = this.#options;
    if (executable) {
      return `install ${pkg.packageName} so that ${executable} exists, or remove the executable setting to use the managed install`;
    }
    return `run \`${installer!.installCommand(
      pkg,
    )}\`, or set ${installOnDemandKey}: true to install it on first use`;
  }

  private static version(command: CliCommand): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        command.file,
        [...command.args, '--version'],
        { timeout: VERSION_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '' } },
        (error, stdout) => {
          if (error) {
            reject(error);
          } else {
            resolve(stdout.trim().split('\n')[0] ?? '');
          }
        },
      );
    });
  }
}

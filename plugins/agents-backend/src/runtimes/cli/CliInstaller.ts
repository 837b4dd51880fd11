import { LoggerService } from '@backstage/backend-plugin-api';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A CLI that is installed from the npm registry at a pinned version. */
export interface CliPackage {
  /** Short name, used for the install folder, e.g. `claude-code`. */
  name: string;
  /** The npm package, e.g. `@anthropic-ai/claude-code`. */
  packageName: string;
  /** Exact version. */
  version: string;
  /** The command that runs the CLI from an install folder, or undefined if it is not there. */
  resolve(installDir: string): CliCommand | undefined;
}

/** How to start a CLI: the executable and the arguments that come before the CLI's own. */
export interface CliCommand {
  file: string;
  args: string[];
}

/** Options of {@link CliInstaller}. */
export interface CliInstallerOptions {
  /** Folder that holds one sub-folder per installed `<name>-<version>`. */
  cacheDir: string;
  /** The npm executable; default `npm` from PATH. */
  npmCommand?: string;
  logger?: LoggerService;
}

const NPM_OUTPUT_LIMIT = 4000;

/**
 * The default cache folder: `$XDG_CACHE_HOME/krate-agents/clis`, else `~/.cache/krate-agents/clis`.
 */
export function defaultCliCacheDir(): string {
  const cacheHome =
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'krate-agents', 'clis');
}

/**
 * Installs pinned CLI packages into a cache folder on demand. An install goes to a temporary
 * folder next to its final place and is renamed into place only when complete, so a failed or
 * interrupted install never counts as installed; callers of one process share one install.
 */
export class CliInstaller {
  readonly cacheDir: string;
  readonly #npm: string;
  readonly #logger?: LoggerService;
  readonly #pending = new Map<string, Promise<CliCommand>>();

  constructor(options: CliInstallerOptions) {
    this.cacheDir = path.resolve(options.cacheDir);
    this.#npm = options.npmCommand ?? 'npm';
    this.#logger = options.logger;
  }

  /** The folder a package version is installed in. */
  installDir(pkg: CliPackage): string {
    return path.join(this.cacheDir, `${pkg.name}-${pkg.version}`);
  }

  /** The shell command an operator runs to install the package by hand. */
  installCommand(pkg: CliPackage): string {
    return `npm install --prefix ${this.installDir(
      pkg,
    )} --no-save --ignore-scripts ${pkg.packageName}@${pkg.version}`;
  }

  /** The installed CLI, or undefined when it is not installed. */
  find(pkg: CliPackage): CliCommand | undefined {
    const dir = this.installDir(pkg);
    return existsSync(dir) ? pkg.resolve(dir) : undefined;
  }

  /** Installs the package unless it is installed, and returns its command. */
  install(pkg: CliPackage): Promise<CliCommand> {
    const found = this.find(pkg);
    if (found) {
      return Promise.resolve(found);
    }
    const key = this.installDir(pkg);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#install(pkg).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #install(pkg: CliPackage): Promise<CliCommand> {
    const finalDir = this.installDir(pkg);
    await fs.mkdir(this.cacheDir, { recursive: true });
    const tempDir = await fs.mkdtemp(
      path.join(this.cacheDir, `.${pkg.name}-${pkg.version}-`),
    );
    const started = Date.now();
    this.#logger?.info(
      `Installing ${pkg.packageName}@${pkg.version} into ${finalDir}`,
    );
    try {
      await this.#runNpm(tempDir, [
        'install',
        '--prefix',
        tempDir,
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `${pkg.packageName}@${pkg.version}`,
      ]);
      if (!pkg.resolve(tempDir)) {
        throw new Error(
          `npm installed ${pkg.packageName}@${pkg.version} but its executable for ${process.platform}-${process.arch} is missing`,
        );
      }
      try {
        await fs.rename(tempDir, finalDir);
      } catch (error) {
        // Another process finished the same install first; theirs is as good as ours.
        if (!this.find(pkg)) {
          throw error;
        }
        await fs.rm(tempDir, { recursive: true, force: true });
      }
    } catch (error) {
      await fs.rm(tempDir, { recursive: true, force: true });
      throw error;
    }
    this.#logger?.info(
      `Installed ${pkg.packageName}@${pkg.version} in ${Math.round(
        (Date.now() - started) / 1000,
      )} s`,
    );
    const command = this.find(pkg);
    if (!command) {
      throw new Error(`${pkg.packageName} disappeared from ${finalDir}`);
    }
    return command;
  }

  #runNpm(cwd: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#npm, args, {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const collect = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-NPM_OUTPUT_LIMIT);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code === 0) {
          resolve();
        } else {
          reject(
            new Error(
              `npm ${args.join(' ')} failed (${
                signal ?? `exit ${code}`
              }): ${output.trim()}`,
            ),
          );
        }
      });
    });
  }
}

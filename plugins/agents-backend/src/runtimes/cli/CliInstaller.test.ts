import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TempDirs } from '../../__testUtils__/cliTestKit';
import { CliInstaller, CliPackage } from './CliInstaller';

/** A tiny real package stands in for a CLI so the installer's own logic is tested quickly. */
function tinyPackage(version: string, platformReady = true): CliPackage {
  return {
    name: 'tiny',
    packageName: 'is-number',
    version,
    resolve(installDir) {
      const file = path.join(
        installDir,
        'node_modules',
        'is-number',
        'index.js',
      );
      return platformReady && existsSync(file)
        ? { file: process.execPath, args: [file] }
        : undefined;
    },
  };
}

describe('CliInstaller', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('installs once for concurrent callers and renames the install into place', async () => {
    const cacheDir = temp.make('cli-cache');
    const installer = new CliInstaller({ cacheDir });
    const pkg = tinyPackage('7.0.0');
    expect(installer.find(pkg)).toBeUndefined();

    const first = installer.install(pkg);
    const second = installer.install(pkg);
    expect(second).toBe(first);
    const command = await first;

    expect(command.args[0]).toBe(
      path.join(
        cacheDir,
        'tiny-7.0.0',
        'node_modules',
        'is-number',
        'index.js',
      ),
    );
    expect(readdirSync(cacheDir)).toEqual(['tiny-7.0.0']);
    expect(installer.find(pkg)).toEqual(command);
    await expect(installer.install(pkg)).resolves.toEqual(command);
  }, 120_000);

  it('leaves nothing behind when npm fails', async () => {
    const cacheDir = temp.make('cli-cache');
    const installer = new CliInstaller({ cacheDir });
    const pkg = tinyPackage('0.0.0-does-not-exist');

    await expect(installer.install(pkg)).rejects.toThrow(
      /npm install .*is-number@0\.0\.0-does-not-exist failed/,
    );
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(installer.find(pkg)).toBeUndefined();
  }, 120_000);

  it('does not count an install without the platform executable as installed', async () => {
    const cacheDir = temp.make('cli-cache');
    const installer = new CliInstaller({ cacheDir });

    await expect(
      installer.install(tinyPackage('7.0.0', false)),
    ).rejects.toThrow(/executable for .* is missing/);
    expect(readdirSync(cacheDir)).toEqual([]);
  }, 120_000);

  it('names the exact install command', () => {
    const installer = new CliInstaller({ cacheDir: '/var/cache/clis' });
    expect(installer.installCommand(tinyPackage('7.0.0'))).toBe(
      'npm install --prefix /var/cache/clis/tiny-7.0.0 --no-save --ignore-scripts is-number@7.0.0',
    );
  });
});

import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TempDirs } from '../../__testUtils__/cliTestKit';
import { writePrivateFile } from './writePrivateFile';

describe('writePrivateFile', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('writes a file only its owner can read or write', async () => {
    const file = path.join(temp.make('private'), 'mcp-config.json');

    await writePrivateFile(file, '{"a":1}');

    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a path that exists already, even as a link', async () => {
    const dir = temp.make('private');
    const planted = path.join(dir, 'planted');
    writeFileSync(planted, 'old', { mode: 0o644 });
    const link = path.join(dir, 'link');
    symlinkSync(path.join(dir, 'elsewhere'), link);

    await expect(writePrivateFile(planted, 'secret')).rejects.toThrow(/EEXIST/);
    await expect(writePrivateFile(link, 'secret')).rejects.toThrow(/EEXIST/);
    expect(readFileSync(planted, 'utf8')).toBe('old');
  });
});

import path from 'node:path';
import {
  cloneUrlFromSourceLocation,
  parseCloneUrl,
  redactUrls,
} from './repositoryUrl';

describe('repository URLs', () => {
  it('takes network URLs, file URLs and paths, and refuses transports that run commands', () => {
    expect(parseCloneUrl('https://github.com/acme/payments-api.git')).toBe(
      'https://github.com/acme/payments-api.git',
    );
    expect(parseCloneUrl('git@github.com:acme/payments-api.git')).toBe(
      'git@github.com:acme/payments-api.git',
    );
    expect(parseCloneUrl('ssh://git@host/acme/x')).toBe(
      'ssh://git@host/acme/x',
    );
    expect(parseCloneUrl('file:///srv/git/x')).toBe('file:///srv/git/x');
    expect(parseCloneUrl('/srv/git/x')).toBe('/srv/git/x');
    expect(parseCloneUrl('repos/x')).toBe(path.resolve('repos/x'));
    expect(parseCloneUrl('ext::sh -c touch% /tmp/pwned')).toBeUndefined();
    expect(parseCloneUrl('--upload-pack=touch /tmp/pwned')).toBeUndefined();
    expect(parseCloneUrl('fd::17')).toBeUndefined();
    expect(parseCloneUrl('ftp://host/x')).toBeUndefined();
    expect(parseCloneUrl('  ')).toBeUndefined();
  });

  it('finds the clone URL and branch behind a source location', () => {
    expect(
      cloneUrlFromSourceLocation(
        'url:https://github.com/acme/payments-api/tree/main/',
      ),
    ).toEqual({ url: 'https://github.com/acme/payments-api', branch: 'main' });
    expect(
      cloneUrlFromSourceLocation(
        'url:https://github.com/acme/payments-api/blob/trunk/catalog-info.yaml',
      ),
    ).toEqual({
      url: 'https://github.com/acme/payments-api',
      branch: 'trunk',
    });
    expect(
      cloneUrlFromSourceLocation(
        'url:https://gitlab.com/acme/group/payments/-/tree/develop/src',
      ),
    ).toEqual({
      url: 'https://gitlab.com/acme/group/payments',
      branch: 'develop',
    });
    expect(
      cloneUrlFromSourceLocation(
        'url:https://bitbucket.org/acme/payments/src/main/',
      ),
    ).toEqual({ url: 'https://bitbucket.org/acme/payments', branch: 'main' });
    expect(
      cloneUrlFromSourceLocation(
        'url:https://dev.azure.com/acme/pay/_git/payments?path=/&version=GBtrunk',
      ),
    ).toEqual({
      url: 'https://dev.azure.com/acme/pay/_git/payments',
      branch: 'trunk',
    });
    expect(
      cloneUrlFromSourceLocation('url:https://git.acme.example/payments/'),
    ).toEqual({ url: 'https://git.acme.example/payments' });
    expect(cloneUrlFromSourceLocation('dir:/srv/git/payments')).toEqual({
      url: '/srv/git/payments',
    });
    expect(cloneUrlFromSourceLocation('dir:relative/path')).toBeUndefined();
    expect(cloneUrlFromSourceLocation('url:ssh://host/x')).toBeUndefined();
    expect(
      cloneUrlFromSourceLocation('https://github.com/a/b'),
    ).toBeUndefined();
  });

  it('hides credentials in URLs of messages', () => {
    expect(
      redactUrls(
        "fatal: unable to access 'https://x-access-token:ghs_abc123@github.com/acme/x/': 403",
      ),
    ).toBe("fatal: unable to access 'https://***@github.com/acme/x/': 403");
  });
});

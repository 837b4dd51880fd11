import {
  AgentSecretSource,
  SecretObjectMetadata,
} from '@krate/plugin-agents-node';
import { listingHolds, SecretSources } from './SecretSources';

function source(
  id: string,
  objects: SecretObjectMetadata[],
  values: Record<string, string> = {},
): AgentSecretSource {
  return {
    id,
    list: async () => objects,
    read: async (_org, ref) => values[`${ref.source}/${ref.name}/${ref.key}`],
  };
}

const failing: AgentSecretSource = {
  id: 'vault',
  list: async () => {
    throw new Error('vault is sealed');
  },
  read: async () => {
    throw new Error('vault is sealed');
  },
};

describe('SecretSources', () => {
  it('reads from the first source that holds a key', async () => {
    const sources = new SecretSources([
      source('config', [], { 'Secret/github/token': 'from-config' }),
      source('kubernetes', [], {
        'Secret/github/token': 'from-cluster',
        'Secret/github/other': 'only-in-cluster',
      }),
    ]);
    const ref = { source: 'Secret' as const, name: 'github' };
    expect(await sources.read('acme', { ...ref, key: 'token' })).toEqual({
      value: 'from-config',
      from: 'config',
    });
    expect(await sources.read('acme', { ...ref, key: 'other' })).toEqual({
      value: 'only-in-cluster',
      from: 'kubernetes',
    });
    expect(await sources.read('acme', { ...ref, key: 'none' })).toBeUndefined();
  });

  it('merges listings (first source named) and names a source that cannot list', async () => {
    const sources = new SecretSources([
      source('config', [
        { source: 'Secret', name: 'github', keys: ['token'], from: 'config' },
      ]),
      source('kubernetes', [
        {
          source: 'Secret',
          name: 'github',
          keys: ['token', 'app-id'],
          from: 'kubernetes',
          lastRotationTime: '2026-01-01T00:00:00.000Z',
        },
      ]),
      failing,
    ]);
    const listing = await sources.list('acme');
    expect(listing.objects).toEqual([
      {
        source: 'Secret',
        name: 'github',
        keys: ['token', 'app-id'],
        from: 'config',
      },
    ]);
    expect(listing.unavailable).toEqual([
      { from: 'vault', message: 'vault is sealed' },
    ]);
    expect(
      listingHolds(listing, {
        source: 'Secret',
        name: 'github',
        key: 'app-id',
      }),
    ).toBe(true);
    expect(
      listingHolds(listing, {
        source: 'ConfigMap',
        name: 'github',
        key: 'token',
      }),
    ).toBe(false);
  });

  it('refuses a second source with the same id', () => {
    const sources = new SecretSources([source('config', [])]);
    expect(() => sources.addSource(source('config', []))).toThrow(
      "A secret source with id 'config' is already registered",
    );
    expect(sources.ids).toEqual(['config']);
  });
});

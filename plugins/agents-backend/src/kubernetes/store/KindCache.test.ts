import { parseLabelSelector } from '../../resources/labelSelector';
import { StoredResource } from '../../resources/ResourceStore';
import { KindCache } from './KindCache';

const stack = (
  namespace: string,
  name: string,
  labels?: Record<string, string>,
): StoredResource => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { namespace, name, labels },
  spec: { runtime: 'scripted' },
});

const keys = (items: StoredResource[]) =>
  items.map(o => `${o.metadata.namespace}/${o.metadata.name}`);

describe('KindCache', () => {
  const cache = new KindCache('AgentStack');
  [
    stack('beta', 'a', { team: 'x' }),
    stack('acme', 'c'),
    stack('acme', 'a', { team: 'x' }),
    stack('acme', 'b', { team: 'y' }),
  ].forEach(o => cache.set(o));

  it('lists by namespace then name, paging with continue tokens', () => {
    const first = cache.list({ limit: 2 });
    expect(keys(first.items)).toEqual(['acme/a', 'acme/b']);
    const second = cache.list({ limit: 2, continueToken: first.continueToken });
    expect(keys(second.items)).toEqual(['acme/c', 'beta/a']);
    expect(second.continueToken).toBeUndefined();
    expect(() => cache.list({ limit: 2, continueToken: 'nonsense' })).toThrow(
      /continue: invalid continue token/,
    );
  });

  it('filters by namespace, allowed namespaces and label selector', () => {
    expect(keys(cache.list({ limit: 10, namespace: 'beta' }).items)).toEqual([
      'beta/a',
    ]);
    expect(
      keys(cache.list({ limit: 10, allowedNamespaces: ['acme'] }).items),
    ).toEqual(['acme/a', 'acme/b', 'acme/c']);
    const selected = cache.list({
      limit: 1,
      labelSelector: parseLabelSelector('team=x'),
    });
    expect(keys(selected.items)).toEqual(['acme/a']);
    expect(
      keys(
        cache.list({
          limit: 1,
          labelSelector: parseLabelSelector('team=x'),
          continueToken: selected.continueToken,
        }).items,
      ),
    ).toEqual(['beta/a']);
  });

  it('answers copies, forgets deleted objects and finds by name', () => {
    cache.get('acme', 'a')!.spec.runtime = 'changed';
    expect(cache.get('acme', 'a')!.spec.runtime).toBe('scripted');
    expect(keys(cache.findByName('a'))).toEqual(['acme/a', 'beta/a']);
    cache.delete(stack('acme', 'a'));
    expect(cache.get('acme', 'a')).toBeUndefined();
    expect(keys(cache.list({ limit: 10 }).items)).toEqual([
      'acme/b',
      'acme/c',
      'beta/a',
    ]);
  });
});

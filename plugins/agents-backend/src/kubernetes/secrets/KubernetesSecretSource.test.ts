import { CoreV1Api } from '@kubernetes/client-node';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { KubernetesSecretSource } from './KubernetesSecretSource';

jest.setTimeout(60_000);

const NS = 'krate-acme';

describe('KubernetesSecretSource with client-node', () => {
  let double: KubernetesDouble;
  let core: CoreV1Api;
  let source: KubernetesSecretSource;

  beforeEach(async () => {
    double = await startKubernetesDouble();
    core = double.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await core.createNamespacedSecret({
      namespace: NS,
      body: {
        metadata: { name: 'github-mcp' },
        stringData: { token: 'cluster-token-value', 'app.id': '42' },
      },
    });
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: {
        metadata: { name: 'payments-agent-config' },
        data: { 'sandbox-url': 'https://sandbox.example' },
        binaryData: { blob: Buffer.from('bytes').toString('base64') },
      },
    });
    source = new KubernetesSecretSource({
      kubeConfig: double.kubeConfig(),
      namespaces: new KubernetesNamespaces({ acme: NS }),
      maxAgeMs: 0,
    });
  });
  afterEach(async () => {
    await double.stop();
  });

  it('lists the org namespace’s Secrets and ConfigMaps: names, keys and creation time, never values', async () => {
    const listed = await source.list('acme');
    const secret = listed.find(o => o.name === 'github-mcp');
    expect(secret).toEqual({
      source: 'Secret',
      name: 'github-mcp',
      keys: ['token', 'app.id'],
      from: 'kubernetes',
      lastRotationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(listed.find(o => o.name === 'payments-agent-config')).toMatchObject({
      source: 'ConfigMap',
      keys: ['sandbox-url', 'blob'],
    });
    expect(JSON.stringify(listed)).not.toContain('cluster-token-value');
    expect(JSON.stringify(listed)).not.toContain(
      Buffer.from('cluster-token-value').toString('base64'),
    );
  });

  it('reads one key, decoding a Secret’s base64, and answers undefined for what is not there', async () => {
    const secret = { source: 'Secret' as const, name: 'github-mcp' };
    expect(await source.read('acme', { ...secret, key: 'token' })).toBe(
      'cluster-token-value',
    );
    expect(await source.read('acme', { ...secret, key: 'app.id' })).toBe('42');
    expect(
      await source.read('acme', {
        source: 'ConfigMap',
        name: 'payments-agent-config',
        key: 'blob',
      }),
    ).toBe('bytes');
    expect(
      await source.read('acme', { ...secret, key: 'missing' }),
    ).toBeUndefined();
    expect(
      await source.read('acme', { source: 'Secret', name: 'nope', key: 'x' }),
    ).toBeUndefined();
    // Another org maps to its own namespace, which holds nothing.
    await core.createNamespace({ body: { metadata: { name: 'other' } } });
    expect(
      await source.read('other', { ...secret, key: 'token' }),
    ).toBeUndefined();
    expect(await source.list('other')).toEqual([]);
  });

  it('sees a new Secret once its listing is older than maxAge, and fails loudly when the cluster does', async () => {
    expect((await source.list('acme')).map(o => o.name)).not.toContain('later');
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'later' }, stringData: { key: 'v' } },
    });
    expect((await source.list('acme')).map(o => o.name)).toContain('later');
    double.setUnavailable(true);
    await expect(source.list('acme')).rejects.toThrow();
    await expect(
      source.read('acme', {
        source: 'Secret',
        name: 'github-mcp',
        key: 'token',
      }),
    ).rejects.toThrow();
  });
});

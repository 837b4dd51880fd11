import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogRepositories } from './CatalogRepositories';

const entity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
});

describe('CatalogRepositories', () => {
  it('maps annotated entities with a source location to repositories, from integration hosts only', async () => {
    const logger = mockServices.logger.mock();
    const repositories = new CatalogRepositories({
      catalog: catalogServiceMock({
        entities: [
          entity('payments-api', {
            'agents.krate.dev/repository': 'acme/payments-api',
            'backstage.io/source-location':
              'url:https://github.com/acme/payments-api/tree/main/',
          }),
          entity('payments-api-docs', {
            'agents.krate.dev/repository': 'acme/payments-api',
            'backstage.io/source-location':
              'url:https://github.com/acme/payments-docs/tree/main/',
          }),
          entity('tracker', {
            'agents.krate.dev/repository': 'acme/tracker',
            'backstage.io/source-location':
              'url:https://evil.example/acme/tracker/tree/main/',
          }),
          entity('no-source', { 'agents.krate.dev/repository': 'acme/x' }),
          entity('not-agents', {
            'backstage.io/source-location':
              'url:https://github.com/acme/other/tree/main/',
          }),
        ],
      }),
      auth: mockServices.auth(),
      logger,
      allowedHosts: ['github.com'],
    });
    const list = await repositories.list();
    expect([...list.values()]).toEqual([
      {
        name: 'acme/payments-api',
        url: 'https://github.com/acme/payments-api',
        defaultBranch: 'main',
        declaredBy: 'component:default/payments-api',
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'component:default/payments-api and component:default/payments-api-docs both declare repository acme/payments-api',
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'component:default/tracker declares repository acme/tracker on a host without an integration',
      ),
    );
  });

  it('treats a catalog it cannot read as no repositories, logs it, and asks again only after the refresh interval', async () => {
    const logger = mockServices.logger.mock();
    const catalog = catalogServiceMock.mock({
      getEntities: jest
        .fn()
        .mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:7007')),
    });
    let now = 0;
    const repositories = new CatalogRepositories({
      catalog,
      auth: mockServices.auth(),
      logger,
      allowedHosts: [],
      refreshMs: 60_000,
      now: () => now,
    });
    expect(await repositories.get('acme/payments-api')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Cannot read repositories from the catalog, continuing without them',
      ),
    );
    now = 30_000;
    await repositories.get('acme/payments-api');
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    now = 60_000;
    await repositories.get('acme/payments-api');
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('looks a name it lacks up again once the last read is older than missRefreshMs, and a known one not at all', async () => {
    const entities = [
      entity('payments-api', {
        'agents.krate.dev/repository': 'acme/payments-api',
        'backstage.io/source-location':
          'url:https://github.com/acme/payments-api/tree/main/',
      }),
    ];
    const catalog = catalogServiceMock.mock({
      getEntities: jest.fn(async () => ({ items: [...entities] })),
    });
    let now = 0;
    const repositories = new CatalogRepositories({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      allowedHosts: ['github.com'],
      refreshMs: 60_000,
      missRefreshMs: 5_000,
      now: () => now,
    });
    expect(await repositories.get('acme/new-service')).toBeUndefined();
    // A template registers the new repository's Component.
    entities.push(
      entity('new-service', {
        'agents.krate.dev/repository': 'acme/new-service',
        'backstage.io/source-location':
          'url:https://github.com/acme/new-service/tree/main/',
      }),
    );
    now = 4_000;
    expect(await repositories.get('acme/new-service')).toBeUndefined();
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    now = 5_000;
    expect(await repositories.get('acme/new-service')).toMatchObject({
      url: 'https://github.com/acme/new-service',
      declaredBy: 'component:default/new-service',
    });
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
    now = 20_000;
    expect(await repositories.get('acme/payments-api')).toBeDefined();
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });
});

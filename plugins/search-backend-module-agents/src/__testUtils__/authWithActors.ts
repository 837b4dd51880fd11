import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const PREFIX = 'mock-service-token:';

/**
 * The mock auth service, except that a token a plugin gets on behalf of a user says which plugin
 * asked (the `actor`), as the real auth service's on-behalf-of tokens do. The permission backend
 * refuses conditional decisions to users who call it directly, and tells them apart from plugins
 * asking for a user by that actor; the plain mock drops it.
 */
export const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const pluginId = plugin.getId();
    const mock = mockServices.auth({ pluginId });
    return {
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const { principal } = options.onBehalfOf as { principal: any };
        if (principal.type !== 'user') {
          return mock.getPluginRequestToken(options);
        }
        return {
          token: `${PREFIX}${JSON.stringify({
            obo: principal.userEntityRef,
            target: options.targetPluginId,
            actor: `plugin:${pluginId}`,
          })}`,
        };
      },
      async authenticate(token, options) {
        if (token.startsWith(PREFIX)) {
          const { obo, target, actor } = JSON.parse(token.slice(PREFIX.length));
          if (obo && actor && (!target || target === pluginId)) {
            return mockCredentials.user(obo, { actor: { subject: actor } });
          }
        }
        return mock.authenticate(token, options);
      },
    } as AuthService;
  },
});

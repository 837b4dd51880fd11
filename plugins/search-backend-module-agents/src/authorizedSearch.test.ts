import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  createBackendModule,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import searchPlugin from '@backstage/plugin-search-backend';
// The tests run the real agents backend next to the search plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import agentsPlugin from '@krate/plugin-agents-backend';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseAuditStore } from '@krate/plugin-agents-backend/src/database/AuditStore';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseResourceStore } from '@krate/plugin-agents-backend/src/database/DatabaseResourceStore';
import {
  AGENTS_RESOURCE_TYPE,
  searchReadPermission,
} from '@krate/plugin-agents-common';
import request from 'supertest';
import { searchModuleAgentsCollator } from './module';
import { authWithActors } from './__testUtils__/authWithActors';

jest.setTimeout(60_000);

/** Which org each user may see agents search results of; everyone may do everything else. */
const ORGS: Record<string, string[]> = {
  'user:default/alice': ['acme'],
  'user:default/bob': ['globex'],
};

class OrgScopedSearchPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const orgs = user ? ORGS[user.info.userEntityRef] : undefined;
    if (query.permission.name !== searchReadPermission.name || !orgs) {
      return { result: AuthorizeResult.ALLOW };
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'agents',
      resourceType: AGENTS_RESOURCE_TYPE,
      conditions: {
        rule: 'IS_IN_NAMESPACE',
        resourceType: AGENTS_RESOURCE_TYPE,
        params: { namespaces: orgs },
      },
    };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'org-scoped-search-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OrgScopedSearchPolicy());
      },
    });
  },
});

const stack = (namespace: string, name: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, namespace },
  spec: {
    runtime: 'scripted',
    description: `Fixes payments bugs in ${namespace}`,
  },
});

const run = (namespace: string, name: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentDispatchRun',
  metadata: { namespace, name },
  spec: {
    stack: `${namespace}-fixer`,
    prompt: `Fix the payments rounding bug in ${namespace}`,
    repository: `${namespace}/payments`,
  },
  status: { phase: 'Succeeded' },
});

const approval = (namespace: string, name: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentApproval',
  metadata: { namespace, name },
  spec: {
    actionClass: 'shell',
    target: `deploy payments of ${namespace}`,
    requester: `${namespace}-fixer`,
    run: `${namespace}-run`,
    policySource: 'AgentToolProfile/payments-safe',
  },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('agents search results follow the permission policy', () => {
  it('shows each user only the results of the orgs they may see, and everything to an unrestricted user', async () => {
    // The mock scheduler runs every task at startup unless told not to, and runs one when asked;
    // its type does not say so.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
      triggerTask(id: string): Promise<void>;
    };
    const knex = await databases.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.database.factory({ knex }),
        agentsPlugin,
        searchPlugin,
        searchModuleAgentsCollator,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        authWithActors,
        httpAuthServiceFactory,
        mockServices.rootLogger.factory({ level: 'error' }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
          },
        }),
      ],
    });
    const { server } = backend;
    try {
      for (const object of [
        stack('acme', 'acme-fixer'),
        stack('globex', 'globex-fixer'),
      ]) {
        const applied = await request(server)
          .post('/api/agents/apply')
          .set(
            'authorization',
            mockCredentials.user.header('user:default/admin'),
          )
          .send(object);
        expect([applied.status, applied.body.error?.message]).toEqual([
          200,
          undefined,
        ]);
      }

      // Runs and approvals are written by the dispatcher, not applied: seeded through the store.
      const store = new DatabaseResourceStore({
        knex,
        audit: new DatabaseAuditStore(knex),
      });
      for (const org of ['acme', 'globex']) {
        await store.create(run(org, `${org}-run`), { actor: 'test' });
        await store.create(approval(org, `${org}-approval`), { actor: 'test' });
      }

      const search = (user: string, type = 'agents') =>
        request(server)
          .get(`/api/search/query?term=payments&types[0]=${type}`)
          .set('authorization', mockCredentials.user.header(user));
      const titlesFor = async (user: string, type?: string) => {
        const response = await search(user, type);
        expect([response.status, response.body.error?.message]).toEqual([
          200,
          undefined,
        ]);
        return (response.body.results as any[])
          .map(result => result.document.title)
          .sort();
      };
      // Index now, with both stacks stored.
      const tasks = await scheduler.getScheduledTasks();
      const indexAgents = tasks.find(task => /agents$/.test(task.id));
      expect(indexAgents).toBeDefined();
      await scheduler.triggerTask(indexAgents!.id);
      const everything = await titlesFor('user:default/admin');
      expect(everything).toEqual([
        'acme-fixer (AgentStack)',
        'globex-fixer (AgentStack)',
      ]);
      expect(await titlesFor('user:default/alice')).toEqual([
        'acme-fixer (AgentStack)',
      ]);
      expect(await titlesFor('user:default/bob')).toEqual([
        'globex-fixer (AgentStack)',
      ]);

      for (const type of ['agents-run', 'agents-approval']) {
        const task = tasks.find(t => t.id.endsWith(type.replace('-', '_')));
        expect(task).toBeDefined();
        await scheduler.triggerTask(task!.id);
      }
      const runs = [
        'Fix the payments rounding bug in acme',
        'Fix the payments rounding bug in globex',
      ];
      expect(await titlesFor('user:default/admin', 'agents-run')).toEqual(runs);
      expect(await titlesFor('user:default/alice', 'agents-run')).toEqual([
        runs[0],
      ]);
      expect(await titlesFor('user:default/bob', 'agents-run')).toEqual([
        runs[1],
      ]);
      expect(await titlesFor('user:default/alice', 'agents-approval')).toEqual([
        'shell: deploy payments of acme',
      ]);
      expect(await titlesFor('user:default/bob', 'agents-approval')).toEqual([
        'shell: deploy payments of globex',
      ]);
    } finally {
      await backend.stop();
    }
  });
});

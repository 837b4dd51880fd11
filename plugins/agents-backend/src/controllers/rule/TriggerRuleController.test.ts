import { mockServices } from '@backstage/backend-test-utils';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { ResourceStore, StoredResource } from '../../resources/ResourceStore';
import { recordOnRule } from '../../triggers/recordOnRule';
import { WebhookEndpoint } from '../../triggers/webhookEndpoints';
import { StackController } from '../stack/StackController';
import {
  ALICE,
  object,
  registryOf,
  seed,
  testRuntime,
} from '../stack/testObjects';
import { TriggerRuleController } from './TriggerRuleController';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ENDPOINTS = new Map<string, WebhookEndpoint>([
  ['github', { name: 'github', type: 'github', secret: 's'.repeat(16) }],
]);

const stack = (spec: Record<string, unknown> = {}) =>
  object('AgentStack', 'reviewer', { runtime: 'mux', ...spec });

const rule = (spec: Record<string, unknown> = {}, status?: object) =>
  object(
    'AgentTriggerRule',
    'triage',
    {
      lifecycle: 'active',
      source: { events: ['issue'] },
      stack: 'reviewer',
      ...spec,
    },
    status as Record<string, unknown> | undefined,
  );

const LAST_EXECUTION = {
  time: '2026-01-01T00:00:00.000Z',
  execution: 'triage-abc',
  outcome: 'dispatched',
  run: 'run-1',
};

/** The store with its updateStatus replaced. */
function withUpdateStatus(
  store: ResourceStore,
  updateStatus: ResourceStore['updateStatus'],
): ResourceStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'updateStatus') return updateStatus;
      const value = (target as any)[property];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The store, with a competing status write of the rule just before the controller's first. */
function racingStore(store: ResourceStore): ResourceStore {
  let raced = false;
  return withUpdateStatus(store, async (resource, context) => {
    if (!raced && resource.kind === 'AgentTriggerRule') {
      raced = true;
      const current = (await store.get(
        'AgentTriggerRule',
        'acme',
        'triage',
      )) as AgentTriggerRule;
      await store.updateStatus(
        {
          ...current,
          status: { ...current.status, counts: { rejected: 1 } },
        } as StoredResource,
        ALICE,
      );
    }
    return store.updateStatus(resource, context);
  });
}

describe.each(databases.eachSupportedId())(
  'TriggerRuleController on %p',
  id => {
    let controllers: { stop(): Promise<void> }[] = [];
    afterEach(async () => {
      for (const controller of controllers.reverse()) await controller.stop();
      controllers = [];
    });

    async function setUp(
      options: {
        endpoints?: Map<string, WebhookEndpoint>;
        wrap?: (store: ResourceStore) => ResourceStore;
      } = {},
    ) {
      const { store, audit } = await createTestStore(databases, id);
      const logger = mockServices.logger.mock();
      const stacks = new StackController({
        store,
        runtimes: registryOf(testRuntime('mux')),
        logger,
        pollMs: 100,
      });
      const rules = new TriggerRuleController({
        store: options.wrap ? options.wrap(store) : store,
        logger,
        endpoints: options.endpoints ?? ENDPOINTS,
        pollMs: 100,
      });
      const start = async () => {
        controllers = [stacks, rules];
        await stacks.start();
        await rules.start();
      };
      const synced = async () => {
        await stacks.whenSynced();
        await rules.whenSynced();
      };
      const read = async () =>
        (await store.get('AgentTriggerRule', 'acme', 'triage')) as
          | AgentTriggerRule
          | undefined;
      const status = async () => (await read())?.status as Record<string, any>;
      const updateStack = async (spec: Record<string, unknown>) => {
        const current = (await store.get('AgentStack', 'acme', 'reviewer'))!;
        await store.update(
          { ...current, spec: { ...current.spec, ...spec } },
          ALICE,
        );
      };
      return { store, audit, start, synced, read, status, updateStack };
    }

    it('gives a rule whose stack is ready its policy preview and Ready True', async () => {
      const { store, audit, start, status } = await setUp();
      await seed(
        store,
        stack({ approvalMode: 'always', writeBackPolicy: { mode: 'patch' } }),
        rule(),
      );
      await start();

      expect(await status()).toEqual({
        observedGeneration: 1,
        policyPreview: {
          approvalMode: 'always',
          writeBackMode: 'patch',
          requiresApproval: false,
        },
        conditions: [
          expect.objectContaining({
            type: 'Ready',
            status: 'True',
            reason: 'Ready',
          }),
          expect.objectContaining({
            type: 'StackReady',
            status: 'True',
            reason: 'StackReady',
          }),
          expect.objectContaining({
            type: 'SourceReady',
            status: 'True',
            reason: 'EndpointConfigured',
            message: 'Endpoint github delivers issue events to org acme.',
          }),
          expect.objectContaining({
            type: 'Active',
            status: 'True',
            reason: 'Active',
          }),
        ],
      });
      const writes = (
        await audit.listForTarget({
          target: {
            kind: 'AgentTriggerRule',
            namespace: 'acme',
            name: 'triage',
          },
          limit: 100,
        })
      ).filter(record => record.action === 'update-status');
      expect(writes).toEqual([
        expect.objectContaining({ actor: 'agents:trigger-controller' }),
      ]);
    });

    it('says which stack is missing and turns Ready once it is created', async () => {
      const { store, start, synced, status } = await setUp();
      await seed(store, rule());
      await start();

      const missing = await status();
      expect(missing.policyPreview).toEqual({ requiresApproval: false });
      expect(missing.conditions[0]).toMatchObject({
        type: 'Ready',
        status: 'False',
        reason: 'StackNotFound',
        message: expect.stringContaining(
          'AgentStack acme/reviewer does not exist',
        ),
      });

      await store.create(stack({ writeBackPolicy: { mode: 'branch' } }), ALICE);
      await synced();
      const created = await status();
      expect(created.policyPreview).toEqual({
        approvalMode: 'policy',
        writeBackMode: 'branch',
        requiresApproval: false,
      });
      expect(created.conditions[0]).toMatchObject({
        type: 'Ready',
        status: 'True',
      });

      await store.delete('AgentStack', 'acme', 'reviewer', ALICE);
      await synced();
      expect((await status()).conditions[0]).toMatchObject({
        status: 'False',
        reason: 'StackNotFound',
      });
    });

    it("follows the stack's readiness and its approval and write-back policy", async () => {
      const { store, start, synced, status, updateStack } = await setUp();
      await seed(store, stack(), rule({ requireApproval: true }));
      await start();
      expect((await status()).policyPreview).toEqual({
        approvalMode: 'policy',
        requiresApproval: true,
      });

      await updateStack({
        approvalMode: 'always',
        writeBackPolicy: { mode: 'pull-request' },
      });
      await synced();
      expect((await status()).policyPreview).toEqual({
        approvalMode: 'always',
        writeBackMode: 'pull-request',
        requiresApproval: true,
      });

      await updateStack({ runtime: 'codex' });
      await synced();
      expect((await status()).conditions.slice(0, 2)).toEqual([
        expect.objectContaining({
          type: 'Ready',
          status: 'False',
          reason: 'StackInvalid',
          message: expect.stringContaining('RuntimeNotRegistered'),
        }),
        expect.objectContaining({ type: 'StackReady', status: 'False' }),
      ]);
    });

    it('reconciles a rule when its spec changes', async () => {
      const { store, start, synced, read, status } = await setUp();
      await seed(store, stack(), rule());
      await start();
      expect((await status()).conditions[0].status).toBe('True');

      const current = (await read())!;
      await store.update(
        {
          ...current,
          spec: {
            ...current.spec,
            lifecycle: 'paused',
            source: { events: ['issue'], webhook: 'gitea' },
          },
        } as StoredResource,
        ALICE,
      );
      await synced();
      const paused = await status();
      expect(paused.observedGeneration).toBe(2);
      expect(paused.conditions).toEqual([
        expect.objectContaining({
          type: 'Ready',
          status: 'False',
          reason: 'WebhookEndpointNotConfigured',
          message: expect.stringContaining('LifecyclePaused'),
        }),
        expect.objectContaining({ type: 'StackReady', status: 'True' }),
        expect.objectContaining({
          type: 'SourceReady',
          status: 'False',
          message: expect.stringContaining(
            "names endpoint 'gitea', which agents.webhooks does not configure (configured: github)",
          ),
        }),
        expect.objectContaining({
          type: 'Active',
          status: 'False',
          reason: 'LifecyclePaused',
        }),
      ]);
    });

    it('keeps what deliveries recorded on the rule', async () => {
      const { store, start, synced, read, status, updateStack } = await setUp();
      await seed(
        store,
        stack(),
        rule({}, { lastExecution: LAST_EXECUTION, counts: { dispatched: 3 } }),
      );
      await start();
      expect(await status()).toMatchObject({
        lastExecution: LAST_EXECUTION,
        counts: { dispatched: 3 },
        policyPreview: { approvalMode: 'policy' },
      });

      // A delivery that saw the stack differently; the controller corrects the preview only.
      await recordOnRule(store, (await read())!, {
        execution: 'triage-def',
        outcome: 'rejected',
        reason: 'stack: gone',
        policyPreview: { requiresApproval: false },
        actor: 'agents:trigger-controller',
      });
      await updateStack({ approvalMode: 'never' });
      await synced();
      expect(await status()).toMatchObject({
        lastExecution: { execution: 'triage-def', outcome: 'rejected' },
        counts: { dispatched: 3, rejected: 1 },
        policyPreview: { approvalMode: 'never', requiresApproval: false },
      });
    });

    it('writes again after a conflict, keeping the competing write', async () => {
      const { store, start, synced, status } = await setUp({
        wrap: racingStore,
      });
      await seed(store, stack(), rule());
      await start();
      await synced();

      expect(await status()).toMatchObject({
        counts: { rejected: 1 },
        policyPreview: { approvalMode: 'policy' },
        conditions: [{ type: 'Ready', status: 'True' }, {}, {}, {}],
      });
    });

    it('does not rewrite a status that stays the same', async () => {
      let ruleWrites = 0;
      const { store, start, synced, read, updateStack } = await setUp({
        wrap: real =>
          withUpdateStatus(real, (resource, context) => {
            if (resource.kind === 'AgentTriggerRule') ruleWrites++;
            return real.updateStatus(resource, context);
          }),
      });
      await seed(store, stack(), rule());
      await start();
      await synced();
      expect(ruleWrites).toBe(1);
      const before = (await read())!;

      await store.create(
        object('AgentStack', 'other', { runtime: 'mux' }),
        ALICE,
      );
      await updateStack({ model: 'opus' });
      const relabelled = await store.update(
        {
          ...before,
          metadata: { ...before.metadata, labels: { team: 'triage' } },
        } as StoredResource,
        ALICE,
      );
      await synced();
      // Several polls later the controller's own writes have not echoed into another one.
      await new Promise(resolve => setTimeout(resolve, 300));
      await synced();

      const after = (await read())!;
      expect(after.metadata.resourceVersion).toBe(
        relabelled.metadata.resourceVersion,
      );
      expect(after.status).toEqual(before.status);
      expect(ruleWrites).toBe(1);
    });
  },
);

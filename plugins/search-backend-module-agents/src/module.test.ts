import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { AgentsCollatorFactory } from './collators/AgentsCollatorFactory';
import { AgentsMemoryCollatorFactory } from './collators/AgentsMemoryCollatorFactory';
import { AgentsRunCollatorFactory } from './collators/AgentsRunCollatorFactory';
import { AgentsApprovalCollatorFactory } from './collators/AgentsApprovalCollatorFactory';
import { searchModuleAgentsCollator } from './module';

describe('searchModuleAgentsCollator', () => {
  it('registers the agents collator on the configured schedule', async () => {
    const addCollator = jest.fn();
    const scheduler = mockServices.scheduler.mock();

    await startTestBackend({
      extensionPoints: [
        [
          searchIndexRegistryExtensionPoint,
          { addCollator, addDecorator: jest.fn() },
        ],
      ],
      features: [
        searchModuleAgentsCollator,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                agents: {
                  schedule: {
                    frequency: { minutes: 3 },
                    timeout: { minutes: 1 },
                  },
                  runs: { maxDocuments: 25 },
                },
              },
            },
          },
        }),
      ],
    });

    expect(addCollator).toHaveBeenCalledTimes(4);
    const { factory } = addCollator.mock.calls[0][0];
    expect(factory).toBeInstanceOf(AgentsCollatorFactory);
    expect(factory.type).toBe('agents');
    const memory = addCollator.mock.calls[1][0].factory;
    expect(memory).toBeInstanceOf(AgentsMemoryCollatorFactory);
    expect(memory.type).toBe('agents-memory');
    expect(memory.visibilityPermission.name).toBe('agents.memory.read');
    const runs = addCollator.mock.calls[2][0].factory;
    expect(runs).toBeInstanceOf(AgentsRunCollatorFactory);
    expect([runs.type, runs.visibilityPermission.name]).toEqual([
      'agents-run',
      'agents.search.read',
    ]);
    const approvals = addCollator.mock.calls[3][0].factory;
    expect(approvals).toBeInstanceOf(AgentsApprovalCollatorFactory);
    expect(approvals.type).toBe('agents-approval');
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledTimes(4);
    // Runs and approvals keep their own, faster schedule unless told otherwise.
    expect(scheduler.createScheduledTaskRunner).toHaveBeenNthCalledWith(3, {
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 15 },
    });
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { minutes: 3 },
      timeout: { minutes: 1 },
    });
  });
});

describe('searchModuleAgentsCollator, configured with a bad cap', () => {
  it('refuses to start, naming the setting', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [
            searchIndexRegistryExtensionPoint,
            { addCollator: jest.fn(), addDecorator: jest.fn() },
          ],
        ],
        features: [
          searchModuleAgentsCollator,
          mockServices.rootConfig.factory({
            data: {
              search: { collators: { agents: { runs: { maxDocuments: 0 } } } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'search.collators.agents.runs.maxDocuments: must be a positive integer',
    );
  });
});

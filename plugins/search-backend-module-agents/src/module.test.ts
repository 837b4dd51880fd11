import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { AgentsCollatorFactory } from './collators/AgentsCollatorFactory';
import { AgentsMemoryCollatorFactory } from './collators/AgentsMemoryCollatorFactory';
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
                },
              },
            },
          },
        }),
      ],
    });

    expect(addCollator).toHaveBeenCalledTimes(2);
    const { factory } = addCollator.mock.calls[0][0];
    expect(factory).toBeInstanceOf(AgentsCollatorFactory);
    expect(factory.type).toBe('agents');
    const memory = addCollator.mock.calls[1][0].factory;
    expect(memory).toBeInstanceOf(AgentsMemoryCollatorFactory);
    expect(memory.type).toBe('agents-memory');
    expect(memory.visibilityPermission.name).toBe('agents.memory.read');
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { minutes: 3 },
      timeout: { minutes: 1 },
    });
  });
});

import { scriptedLaunch } from '../../../__testUtils__/scriptedTestKit';
import { podLaunchFileOf } from './PodLaunchFile';

describe('podLaunchFileOf', () => {
  it('never writes the launch’s granted secrets into the launch ConfigMap', () => {
    const launch = {
      ...scriptedLaunch('/work', { steps: [] }),
      secrets: {
        mcpServers: { github: { Authorization: 'pod-canary-value' } },
        environment: { token: 'pod-canary-value' },
        values: ['pod-canary-value'],
      },
    };
    const file = JSON.parse(podLaunchFileOf('scripted', launch));
    expect(file.launch.secrets).toBeUndefined();
    expect(file.launch.workingDirectory).toBe('/work');
    expect(JSON.stringify(file)).not.toContain('pod-canary-value');
  });
});

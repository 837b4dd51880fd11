import { testLaunch } from '../__testUtils__/cliTestKit';
import { maskLaunchSecrets } from './maskLaunchSecrets';

describe('maskLaunchSecrets', () => {
  it('masks every granted value, the longer of two overlapping ones whole', () => {
    const launch = {
      ...testLaunch({ workingDirectory: '/work' }),
      secrets: {
        mcpServers: {},
        environment: {},
        values: ['canary-1', 'canary-1-long', ''],
      },
    };

    expect(
      maskLaunchSecrets(
        'got canary-1-long and canary-1 twice: canary-1',
        launch,
      ),
    ).toBe('got *** and *** twice: ***');
  });

  it('leaves text alone when the launch has no secrets', () => {
    expect(
      maskLaunchSecrets('nothing here', testLaunch({ workingDirectory: '/w' })),
    ).toBe('nothing here');
  });
});

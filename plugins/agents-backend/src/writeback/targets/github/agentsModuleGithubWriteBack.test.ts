import { registeredWriteBackTargets } from '../forge/__testUtils__/registeredWriteBackTargets';
import { agentsModuleGithubWriteBack } from './agentsModuleGithubWriteBack';

describe('agentsModuleGithubWriteBack', () => {
  it('registers the github target, configured from integrations.github', async () => {
    const targets = await registeredWriteBackTargets(
      agentsModuleGithubWriteBack,
      {
        github: [
          {
            host: 'ghe.example.com',
            apiBaseUrl: 'https://ghe.example.com/api/v3',
            token: 't',
          },
        ],
      },
    );

    expect(targets.map(t => t.id)).toEqual(['github']);
    await expect(
      targets[0].supports({
        name: 'acme/app',
        url: 'https://ghe.example.com/acme/app.git',
      }),
    ).resolves.toEqual({ supported: true });
  });
});

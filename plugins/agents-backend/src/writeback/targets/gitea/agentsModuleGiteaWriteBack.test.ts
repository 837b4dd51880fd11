import { registeredWriteBackTargets } from '../forge/__testUtils__/registeredWriteBackTargets';
import { agentsModuleGiteaWriteBack } from './agentsModuleGiteaWriteBack';

describe('agentsModuleGiteaWriteBack', () => {
  it('registers the gitea target, configured from integrations.gitea', async () => {
    const targets = await registeredWriteBackTargets(
      agentsModuleGiteaWriteBack,
      {
        gitea: [{ host: 'gitea.example.com', username: 'bot', password: 'p' }],
      },
    );

    expect(targets.map(t => t.id)).toEqual(['gitea']);
    await expect(
      targets[0].supports({
        name: 'acme/app',
        url: 'https://gitea.example.com/acme/app.git',
      }),
    ).resolves.toEqual({ supported: true });
  });
});

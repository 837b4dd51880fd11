import { InputError } from '@backstage/errors';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ResourceStore } from '../resources/ResourceStore';

/**
 * Where an attempt works: the run's AgentWorkspace when it names one, otherwise a scratch
 * directory of the run under the runs root, shared by the run's attempts so a retry or a
 * continuation finds what the earlier attempt left.
 */
export class WorkingDirectories {
  constructor(
    private readonly store: ResourceStore,
    private readonly runsRoot: string,
  ) {}

  async resolve(options: {
    namespace: string;
    run: string;
    workspace?: string;
  }): Promise<string> {
    const { namespace, run, workspace } = options;
    if (workspace) {
      const record = (await this.store.get(
        'AgentWorkspace',
        namespace,
        workspace,
      )) as AgentWorkspace | undefined;
      const dir = record?.spec.path;
      if (!record || !dir) {
        throw new InputError(
          `workspace: AgentWorkspace ${namespace}/${workspace} ${
            record ? 'has no local path' : 'does not exist'
          }`,
        );
      }
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) {
        throw new InputError(
          `workspace: the path of AgentWorkspace ${namespace}/${workspace} is missing on this runner`,
        );
      }
      return dir;
    }
    const dir = path.join(this.runsRoot, namespace, run);
    await mkdir(dir, { recursive: true });
    return dir;
  }
}

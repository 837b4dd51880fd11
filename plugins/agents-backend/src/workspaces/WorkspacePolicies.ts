import { InputError } from '@backstage/errors';
import { AgentWorkspacePolicy } from '@krate/plugin-agents-common';
import { ResourceStore } from '../resources/ResourceStore';
import { PathOutsideRootError, WorkspaceRoot } from './WorkspaceRoot';

/** The policy that governs an action, and the root it confines the workspace to. */
export interface GoverningPolicy {
  policy?: AgentWorkspacePolicy;
  /** How refusal messages name it: `AgentWorkspacePolicy <ns>/<name>` or the root policy. */
  policyName: string;
  root: WorkspaceRoot;
}

/** Finds the AgentWorkspacePolicy that governs a workspace action. */
export class WorkspacePolicies {
  constructor(
    private readonly store: ResourceStore,
    private readonly root: WorkspaceRoot,
  ) {}

  /**
   * The policy named in the request or on the workspace, else the namespace's `default` when it
   * exists. A named policy that does not exist is bad input; a policy root that leads out of the
   * configured root is a PathOutsideRootError.
   */
  async resolve(
    namespace: string,
    name: string | undefined,
  ): Promise<GoverningPolicy> {
    const policy = (await this.store.get(
      'AgentWorkspacePolicy',
      namespace,
      name ?? 'default',
    )) as AgentWorkspacePolicy | undefined;
    if (!policy && name !== undefined) {
      throw new InputError(
        `policy: AgentWorkspacePolicy ${namespace}/${name} not found`,
      );
    }
    if (!policy) {
      return { policyName: 'the workspace root policy', root: this.root };
    }
    const policyName = `AgentWorkspacePolicy ${namespace}/${policy.metadata.name}`;
    try {
      return {
        policy,
        policyName,
        root: await this.root.sub(policy.spec.provisioning.root),
      };
    } catch (error) {
      throw new PathOutsideRootError(
        `${policyName}: provisioning.${(error as Error).message}`,
      );
    }
  }
}

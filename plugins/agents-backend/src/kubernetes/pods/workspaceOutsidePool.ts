import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import path from 'node:path';
import { RunnerPool } from '../RunnerPool';

/**
 * The outcome of an attempt whose working directory the pool's workspace volume does not hold
 * (the pod would not see it), or undefined when the volume holds it.
 */
export function workspaceOutsidePool(
  workingDirectory: string,
  pool: RunnerPool,
): AgentAttemptOutcome | undefined {
  const root = path.resolve(pool.workspaceVolume.path);
  const relative = path.relative(root, path.resolve(workingDirectory));
  if (
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  ) {
    return undefined;
  }
  return {
    phase: 'Failed',
    reason: 'WorkspaceOutsidePool',
    message: `The working directory ${workingDirectory} is not under ${root}, the workspace volume of runner pool ${pool.name}, so a pod of the pool cannot work in it. Put the runs root (agents.dispatch.runsRoot) or the workspaces under that path, or run the stack without runnerPolicy.pool.`,
  };
}

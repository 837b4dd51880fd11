import path from 'node:path';

/** The in-pod runner as a pool's command runs it here: Node with the TypeScript entry. */
export const RUNNER_COMMAND = [
  process.execPath,
  path.resolve(__dirname, '../../../../bin/krate-agent-runner'),
];

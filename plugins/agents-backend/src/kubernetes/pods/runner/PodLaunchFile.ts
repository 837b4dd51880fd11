import { AgentLaunch } from '@krate/plugin-agents-node';
import { promises as fs } from 'node:fs';

/** The key of the per-attempt ConfigMap, mounted as a file in the runner pod. */
export const LAUNCH_FILE_KEY = 'launch.json';

/** The environment variable that tells the in-pod runner where the launch file is. */
export const LAUNCH_FILE_ENV = 'KRATE_LAUNCH_FILE';

/**
 * Where the launch's granted values are in the runner's environment: the same shape as
 * `LaunchSecrets` (per MCP server, then the agent's tool environment), each value replaced by
 * the reserved variable that holds it. Names only, never a value.
 */
export interface PodGrantedSecrets {
  mcpServers: Record<string, Record<string, string>>;
  environment: Record<string, string>;
}

/**
 * What the backend hands the in-pod runner: the attempt's launch as the runtime takes it (the
 * prompt is the redacted, assembled one), and the runtime to run it on. A pod never re-attaches
 * itself, so the launch carries no `reattach`. The file is a ConfigMap: it never carries the
 * launch's `secrets`, only where their values are in the runner's environment (`granted`, see
 * podGrantedSecrets); the runner rebuilds `secrets` from there.
 */
export interface PodLaunchFile {
  version: 1;
  runtime: string;
  launch: Omit<AgentLaunch, 'reattach' | 'secrets'>;
  granted?: PodGrantedSecrets;
}

export function podLaunchFileOf(
  runtime: string,
  launch: AgentLaunch,
  granted?: PodGrantedSecrets,
): string {
  const { reattach: _reattach, secrets: _secrets, ...rest } = launch;
  const file: PodLaunchFile = {
    version: 1,
    runtime,
    launch: rest,
    ...(granted ? { granted } : {}),
  };
  return JSON.stringify(file);
}

export async function readPodLaunchFile(file: string): Promise<PodLaunchFile> {
  const parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  if (
    parsed?.version !== 1 ||
    typeof parsed.runtime !== 'string' ||
    typeof parsed.launch?.workingDirectory !== 'string' ||
    typeof parsed.launch?.profile !== 'object'
  ) {
    throw new Error(`${file} is not a launch file of version 1`);
  }
  return parsed as PodLaunchFile;
}

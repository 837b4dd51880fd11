import { LaunchSecrets } from '@krate/plugin-agents-node';
import { GRANTED_ENV_PREFIX } from '../podGrantedSecrets';
import { PodGrantedSecrets } from './PodLaunchFile';

/**
 * The launch's granted values, read back from the reserved variables the launch file names
 * (podGrantedSecrets), which are then removed from `env`: the runtime injects each value into
 * its consumer only, as on the backend's host, and nothing the agent starts inherits them.
 */
export function launchSecretsFromEnv(
  granted: PodGrantedSecrets | undefined,
  env: NodeJS.ProcessEnv,
): LaunchSecrets | undefined {
  const read = (variable: string) => {
    const value = env[variable];
    return typeof value === 'string' ? [value] : [];
  };
  const secrets: LaunchSecrets | undefined = granted && {
    mcpServers: Object.fromEntries(
      Object.entries(granted.mcpServers).map(([server, names]) => [
        server,
        Object.fromEntries(
          Object.entries(names).flatMap(([name, variable]) =>
            read(variable).map(value => [name, value]),
          ),
        ),
      ]),
    ),
    environment: Object.fromEntries(
      Object.entries(granted.environment).flatMap(([name, variable]) =>
        read(variable).map(value => [name, value]),
      ),
    ),
    values: [],
  };
  if (secrets) {
    secrets.values = [
      ...new Set([
        ...Object.values(secrets.mcpServers).flatMap(v => Object.values(v)),
        ...Object.values(secrets.environment),
      ]),
    ];
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith(GRANTED_ENV_PREFIX)) delete env[name];
  }
  return secrets;
}

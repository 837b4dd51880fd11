import { LaunchSecrets } from '@krate/plugin-agents-node';
import { V1EnvVar } from '@kubernetes/client-node';
import { PodGrantedSecrets } from './runner/PodLaunchFile';

/** The prefix of the variables that carry granted values to the runner, and no further. */
export const GRANTED_ENV_PREFIX = 'KRATE_GRANTED_';

/**
 * How an attempt's granted values (`launch.secrets`, resolved by the backend exactly as for an
 * attempt on its host) reach the runner pod: each value under a key of the attempt's own Secret
 * (`data`), each key as a reserved `secretKeyRef` variable (`env`), and for the launch file only
 * which variable holds which consumer's value (`granted`).
 */
export function podGrantedSecrets(
  secrets: LaunchSecrets | undefined,
  secretName: string,
): {
  granted?: PodGrantedSecrets;
  data: Record<string, string>;
  env: V1EnvVar[];
} {
  const data: Record<string, string> = {};
  const env: V1EnvVar[] = [];
  const entries = [
    ...Object.entries(secrets?.mcpServers ?? {}).flatMap(([server, values]) =>
      Object.entries(values).map(([name, value]) => ({ server, name, value })),
    ),
    ...Object.entries(secrets?.environment ?? {}).map(([name, value]) => ({
      server: undefined,
      name,
      value,
    })),
  ];
  if (!entries.length) return { data, env };
  const granted: PodGrantedSecrets = { mcpServers: {}, environment: {} };
  entries.forEach(({ server, name, value }, i) => {
    const key = `granted-${i}`;
    const variable = `${GRANTED_ENV_PREFIX}${i}`;
    data[key] = value;
    env.push({
      name: variable,
      valueFrom: { secretKeyRef: { name: secretName, key } },
    });
    if (server === undefined) {
      granted.environment[name] = variable;
    } else {
      (granted.mcpServers[server] ??= {})[name] = variable;
    }
  });
  return { granted, data, env };
}

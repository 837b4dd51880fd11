import { AgentSecretGrant } from '@krate/plugin-agents-common';
import { V1EnvVar } from '@kubernetes/client-node';
import { GRANTED_ENV_PREFIX } from './podGrantedSecrets';
import { CREDENTIAL_ENV, DECISIONS_URL_ENV } from './runnerDecisions';
import { LAUNCH_FILE_ENV } from './runner/PodLaunchFile';

/** The environment variable a granted key is exposed as: the key, made a valid name. */
export function envNameOf(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function isLive(grant: AgentSecretGrant, now: Date) {
  const { spec, status } = grant;
  if (spec.expiresAt && Date.parse(spec.expiresAt) <= now.getTime()) {
    return false;
  }
  return status?.state !== 'expired';
}

/**
 * The Secret keys a runner pod gets, as `env[].valueFrom.secretKeyRef`: those that a live
 * AgentSecretGrant gives to the runner's service account (a `runner` or `agent` subject of that
 * name), and nothing else. Values never pass through the backend. When two grants expose keys
 * under one variable name the first (by grant name) wins and the other is reported.
 */
export function runnerSecretEnv(
  grants: AgentSecretGrant[],
  serviceAccount: string | undefined,
  now: Date,
): { env: V1EnvVar[]; clashes: string[] } {
  const env: V1EnvVar[] = [];
  const clashes: string[] = [];
  if (!serviceAccount) return { env, clashes };
  const reserved = new Set([
    LAUNCH_FILE_ENV,
    CREDENTIAL_ENV,
    DECISIONS_URL_ENV,
  ]);
  const taken = new Set<string>();
  const ordered = [...grants].sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
  for (const grant of ordered) {
    const subjects = grant.spec.subjects as { kind: string; name: string }[];
    const granted = subjects.some(
      s =>
        (s.kind === 'runner' || s.kind === 'agent') &&
        s.name === serviceAccount,
    );
    if (!granted || !isLive(grant, now)) continue;
    const missing = new Set<string>(grant.status?.missingKeys ?? []);
    for (const key of grant.spec.keys as string[]) {
      if (missing.has(key)) continue;
      const name = envNameOf(key);
      const isReserved =
        reserved.has(name) || name.startsWith(GRANTED_ENV_PREFIX);
      if (isReserved || taken.has(name)) {
        clashes.push(
          `Secret ${grant.spec.secretName} key ${key} (AgentSecretGrant/${
            grant.metadata.name
          }) is not exposed: ${name} is ${
            isReserved ? 'reserved for the runner' : 'taken by another grant'
          }`,
        );
        continue;
      }
      taken.add(name);
      env.push({
        name,
        valueFrom: {
          secretKeyRef: { name: grant.spec.secretName, key },
        },
      });
    }
  }
  return { env, clashes };
}

import { AgentLaunch } from '@krate/plugin-agents-node';

/**
 * Text a runtime got back from something it gave granted values to (a CLI's stderr, a gateway's
 * error answer) with those values masked. The attempt's redactor masks them again before
 * anything is stored; this keeps them out of the runtime's own messages too.
 */
export function maskLaunchSecrets(text: string, launch: AgentLaunch): string {
  const values = [...new Set(launch.secrets?.values ?? [])]
    .filter(value => value.length > 0)
    .sort((a, b) => b.length - a.length);
  return values.reduce(
    (masked, value) => masked.split(value).join('***'),
    text,
  );
}

import { InfoCard } from '@backstage/core-components';
import { AgentToolProfile } from '@krate/plugin-agents-common';
import Typography from '@material-ui/core/Typography';
import { DetailRow } from '../DetailRow';
import { NameChips } from '../RegistryPage';

/** Read roots no write root covers: the agent may read there but not write. */
export function readOnlyRoots(
  readRoots: string[] = [],
  writeRoots?: string[],
): string[] {
  // No write roots, like no read roots, leaves the whole workspace open.
  if (!writeRoots?.length) return [];
  return readRoots.filter(
    root =>
      !writeRoots.some(
        write =>
          write === '.' || root === write || root.startsWith(`${write}/`),
      ),
  );
}

const NETWORK = {
  none: 'none: no egress',
  'allow-list': 'allow-list: only the hosts below',
  open: 'open: any host',
};

/** What the profile allows and denies: tools, commands, filesystem, network and approvals. */
export const ToolPolicy = ({ profile }: { profile: AgentToolProfile }) => {
  const { spec } = profile;
  const mode = spec.network?.mode ?? 'open';
  const readOnly = readOnlyRoots(
    spec.filesystem?.readRoots,
    spec.filesystem?.writeRoots,
  );
  return (
    <InfoCard title="Policy">
      <Typography variant="subtitle2">Native tools</Typography>
      <DetailRow label="Allowed">
        <NameChips
          label="Allowed tools"
          names={spec.allowedTools}
          none="every tool"
        />
      </DetailRow>
      <DetailRow label="Denied">
        <NameChips label="Denied tools" names={spec.deniedTools} none="none" />
      </DetailRow>
      <Typography variant="subtitle2">Commands</Typography>
      <DetailRow label="Allowed">
        <NameChips
          label="Allowed commands"
          names={spec.shell?.allowCommands}
          none="any command"
        />
      </DetailRow>
      <DetailRow label="Denied (wins)">
        <NameChips
          label="Denied commands"
          names={spec.shell?.denyCommands}
          none="none"
        />
      </DetailRow>
      <Typography variant="subtitle2">Filesystem</Typography>
      <DetailRow label="Read roots">
        <NameChips
          label="Read roots"
          names={spec.filesystem?.readRoots}
          none="the whole workspace"
        />
      </DetailRow>
      <DetailRow label="Write roots">
        <NameChips
          label="Write roots"
          names={spec.filesystem?.writeRoots}
          none="the whole workspace"
        />
      </DetailRow>
      {readOnly.length > 0 && (
        <DetailRow label="Read-only">
          <NameChips label="Read-only roots" names={readOnly} none="none" />
        </DetailRow>
      )}
      <DetailRow label="Denied paths">
        <NameChips
          label="Denied paths"
          names={spec.filesystem?.deniedPaths}
          none="none"
        />
      </DetailRow>
      <Typography variant="subtitle2">Network</Typography>
      <DetailRow label="Mode">{NETWORK[mode]}</DetailRow>
      {mode === 'allow-list' && (
        <DetailRow label="Allowed hosts">
          <NameChips
            label="Allowed hosts"
            names={spec.network?.allowedHosts}
            none="none: no host is reachable"
          />
        </DetailRow>
      )}
      <Typography variant="subtitle2">Approvals</Typography>
      <DetailRow label="Wait for a human">
        <NameChips
          label="Approval required"
          names={spec.approvalRequired}
          none="no action class"
        />
      </DetailRow>
    </InfoCard>
  );
};

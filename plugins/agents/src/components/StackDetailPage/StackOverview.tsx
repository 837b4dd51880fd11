import { InfoCard } from '@backstage/core-components';
import { AgentStack } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { DetailRow } from '../DetailRow';

/** Chips of the objects a stack names, one per name, labelled with their kind. */
const References = ({ kind, names }: { kind: string; names?: string[] }) => {
  if (!names?.length) return <>none</>;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      gridGap={4}
      role="list"
      aria-label={kind}
    >
      {names.map(name => (
        <Chip
          key={name}
          role="listitem"
          size="small"
          variant="outlined"
          label={name}
          title={`${kind} ${name}`}
        />
      ))}
    </Box>
  );
};

/** The stack as written: runtime, model, policies and the objects it references. */
export const StackOverview = ({ stack }: { stack: AgentStack }) => {
  const { spec } = stack;
  const account = spec.runtimeServiceAccountName;
  const runnerAccount = spec.runnerPolicy?.serviceAccountName;
  return (
    <InfoCard title="Stack">
      {spec.description && (
        <Typography variant="body2" paragraph>
          {spec.description}
        </Typography>
      )}
      <DetailRow label="Runtime">{spec.runtime}</DetailRow>
      <DetailRow label="Model">{spec.model ?? 'the runtime default'}</DetailRow>
      <DetailRow label="Approval mode">
        {spec.approvalMode ?? 'policy'}
        {spec.allowSelfApproval ? ' · self-approval allowed' : ''}
      </DetailRow>
      <DetailRow label="Write-back">
        {spec.writeBackPolicy
          ? `${spec.writeBackPolicy.mode}${
              spec.writeBackPolicy.requireApproval ? ' · needs approval' : ''
            }`
          : 'none'}
      </DetailRow>
      <DetailRow label="Tool profile">
        <References
          kind="AgentToolProfile"
          names={spec.toolProfile ? [spec.toolProfile] : []}
        />
      </DetailRow>
      <DetailRow label="Subagents">
        <References kind="AgentSubagent" names={spec.subagents} />
      </DetailRow>
      <DetailRow label="MCP servers">
        <References kind="AgentMcpServer" names={spec.mcpServers} />
      </DetailRow>
      <DetailRow label="Skills">
        <References kind="AgentSkill" names={spec.skills} />
      </DetailRow>
      <DetailRow label="Service accounts">
        <References
          kind="AgentServiceAccount"
          names={[
            ...(account ? [account] : []),
            ...(runnerAccount && runnerAccount !== account
              ? [runnerAccount]
              : []),
          ]}
        />
      </DetailRow>
      <DetailRow label="Context labels">
        <References
          kind="AgentContextLabel"
          names={spec.defaultContextLabels}
        />
      </DetailRow>
      <DetailRow label="Runner">
        {spec.runnerPolicy?.pool ?? 'the default pool'}
        {spec.runnerPolicy?.timeoutSeconds
          ? ` · timeout ${spec.runnerPolicy.timeoutSeconds}s`
          : ''}
      </DetailRow>
    </InfoCard>
  );
};

import { InfoCard } from '@backstage/core-components';
import { AgentStack, findKind } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Link } from 'react-router-dom';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { DetailRow } from '../DetailRow';

interface ReferencesProps {
  kind: string;
  /** The stack's org: the objects it names live there. */
  namespace: string;
  names?: string[];
}

/** Chips of the objects a stack names, one per name, each opening that object. */
const References = ({ kind, namespace, names }: ReferencesProps) => {
  const paths = useAgentsPaths();
  const plural = findKind(kind)!.plural;
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
        <div role="listitem" key={name}>
          <Chip
            component={Link}
            to={paths.resource(plural, namespace, name)}
            clickable
            // Clickable chips say "button"; this one navigates.
            role="link"
            size="small"
            variant="outlined"
            label={name}
            title={`${kind} ${name}`}
          />
        </div>
      ))}
    </Box>
  );
};

/** The stack as written: runtime, model, policies and the objects it references. */
export const StackOverview = ({ stack }: { stack: AgentStack }) => {
  const { spec } = stack;
  const namespace = stack.metadata.namespace;
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
          namespace={namespace}
          kind="AgentToolProfile"
          names={spec.toolProfile ? [spec.toolProfile] : []}
        />
      </DetailRow>
      <DetailRow label="Subagents">
        <References
          namespace={namespace}
          kind="AgentSubagent"
          names={spec.subagents}
        />
      </DetailRow>
      <DetailRow label="MCP servers">
        <References
          namespace={namespace}
          kind="AgentMcpServer"
          names={spec.mcpServers}
        />
      </DetailRow>
      <DetailRow label="Skills">
        <References
          namespace={namespace}
          kind="AgentSkill"
          names={spec.skills}
        />
      </DetailRow>
      <DetailRow label="Service accounts">
        <References
          namespace={namespace}
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
          namespace={namespace}
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

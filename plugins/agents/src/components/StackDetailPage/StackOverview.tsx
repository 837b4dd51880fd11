import { InfoCard } from '@backstage/core-components';
import { AgentStack } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <Box display="flex" gridGap={16} py={0.5}>
    <Typography variant="body2" color="textSecondary" style={{ minWidth: 160 }}>
      {label}
    </Typography>
    <Typography
      variant="body2"
      component="div"
      style={{ wordBreak: 'break-word' }}
    >
      {children}
    </Typography>
  </Box>
);

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
      <Row label="Runtime">{spec.runtime}</Row>
      <Row label="Model">{spec.model ?? 'the runtime default'}</Row>
      <Row label="Approval mode">
        {spec.approvalMode ?? 'policy'}
        {spec.allowSelfApproval ? ' · self-approval allowed' : ''}
      </Row>
      <Row label="Write-back">
        {spec.writeBackPolicy
          ? `${spec.writeBackPolicy.mode}${
              spec.writeBackPolicy.requireApproval ? ' · needs approval' : ''
            }`
          : 'none'}
      </Row>
      <Row label="Tool profile">
        <References
          kind="AgentToolProfile"
          names={spec.toolProfile ? [spec.toolProfile] : []}
        />
      </Row>
      <Row label="Subagents">
        <References kind="AgentSubagent" names={spec.subagents} />
      </Row>
      <Row label="MCP servers">
        <References kind="AgentMcpServer" names={spec.mcpServers} />
      </Row>
      <Row label="Skills">
        <References kind="AgentSkill" names={spec.skills} />
      </Row>
      <Row label="Service accounts">
        <References
          kind="AgentServiceAccount"
          names={[
            ...(account ? [account] : []),
            ...(runnerAccount && runnerAccount !== account
              ? [runnerAccount]
              : []),
          ]}
        />
      </Row>
      <Row label="Context labels">
        <References
          kind="AgentContextLabel"
          names={spec.defaultContextLabels}
        />
      </Row>
      <Row label="Runner">
        {spec.runnerPolicy?.pool ?? 'the default pool'}
        {spec.runnerPolicy?.timeoutSeconds
          ? ` · timeout ${spec.runnerPolicy.timeoutSeconds}s`
          : ''}
      </Row>
    </InfoCard>
  );
};

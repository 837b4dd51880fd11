import { TriggerDryRunResult } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { DetailRow } from '../DetailRow';

/** The approval and write-back policy the created run would get. */
export const DryRunPolicyPreview = ({
  policy,
}: {
  policy: TriggerDryRunResult['policyPreview'];
}) => (
  <Box aria-label="Policy preview" role="group">
    <DetailRow label="Approval mode">
      {policy.approvalMode ?? 'the stack default'}
    </DetailRow>
    <DetailRow label="Write-back">{policy.writeBackMode ?? 'none'}</DetailRow>
    <DetailRow label="Rule requires approval">
      {policy.requiresApproval
        ? 'yes: the run waits for an approval before it starts'
        : 'no'}
    </DetailRow>
  </Box>
);

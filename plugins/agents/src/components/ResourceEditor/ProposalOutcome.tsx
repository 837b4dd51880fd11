import { Link } from '@backstage/core-components';
import { ConfigurationProposal } from '@krate/plugin-agents-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

export interface ProposalOutcomeProps {
  proposal?: ConfigurationProposal;
  error?: string;
}

/** What "Open a pull request" did: the pull request or branch, or why it failed. */
export const ProposalOutcome = ({ proposal, error }: ProposalOutcomeProps) => {
  if (error || !proposal) {
    return (
      <Alert severity="error" aria-label="proposal result">
        <AlertTitle>The proposal was refused</AlertTitle>
        {error}
      </Alert>
    );
  }
  if (proposal.state === 'failed') {
    return (
      <Alert severity="error" aria-label="proposal result">
        <AlertTitle>
          Writing to {proposal.repository} failed — try again
        </AlertTitle>
        {proposal.message}
      </Alert>
    );
  }
  const pull = proposal.results?.find(r => r.operation === 'pull-request');
  return (
    <Alert severity="success" aria-label="proposal result">
      <AlertTitle>
        {pull ? (
          <>
            Pull request{' '}
            {pull.url ? <Link to={pull.url}>#{pull.ref}</Link> : `#${pull.ref}`}{' '}
            opened in {proposal.repository}
          </>
        ) : (
          <>
            Branch {proposal.branch} pushed to {proposal.repository}
          </>
        )}
      </AlertTitle>
      It holds <code>{proposal.path}</code>; once merged, the object is applied
      by <code>kubectl apply</code> or your GitOps sync.
    </Alert>
  );
};

import { AuthenticationError, InputError } from '@backstage/errors';
import { AgentApproval } from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { ApprovalService, decisionOf } from '../../approvals/ApprovalService';
import { RunnerCredentials } from './RunnerCredentials';
import { RunnerDecisionAnswer } from './runnerDecisions';

/** The one answer to every caller that does not prove it is the attempt's runner. */
const REFUSED = 'A runner credential for this attempt is required';

function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** The newest approval of the attempt that `query` names. */
function approvalOf(
  approvals: AgentApproval[],
  query: { interactionId?: string; approval?: string },
): AgentApproval | undefined {
  return approvals
    .filter(a =>
      query.approval
        ? a.metadata.name === query.approval
        : a.spec.interactionId === query.interactionId,
    )
    .sort((a, b) =>
      String(b.metadata.creationTimestamp ?? '').localeCompare(
        String(a.metadata.creationTimestamp ?? ''),
      ),
    )[0];
}

function answerOf(approval: AgentApproval | undefined): RunnerDecisionAnswer {
  if (!approval) return { state: 'unopened' };
  const decision = decisionOf(approval);
  const name = approval.metadata.name;
  if (!decision) return { state: 'pending', approval: name };
  const state = approval.status?.state;
  let outcome: 'approved' | 'rejected' | 'expired' = 'rejected';
  if (state === 'expired') outcome = 'expired';
  else if (decision.decision === 'allow') outcome = 'approved';
  return {
    state: 'decided',
    approval: name,
    decision,
    outcome,
    ...(approval.status?.decidedBy
      ? { decidedBy: approval.status.decidedBy }
      : {}),
  };
}

/**
 * `GET /runner-pods/:namespace/:attempt/decision?interactionId=…|approval=…`: how the in-pod
 * runner learns the decision on an approval its attempt asked for. Backstage auth does not apply
 * (the plugin lets it through unauthenticated, as it does the signed webhooks): the caller must
 * present the attempt's runner credential as a bearer token, else 401 with one message whatever
 * is wrong, so nothing tells whether the attempt exists. It answers only about that attempt's
 * approvals, and expires one that is past its time, as a waiting host does.
 */
export function createRunnerDecisionRoutes(options: {
  approvals: ApprovalService;
  credentials: RunnerCredentials;
}) {
  const { approvals, credentials } = options;
  const router = Router();
  router.get('/runner-pods/:namespace/:attempt/decision', async (req, res) => {
    const { namespace, attempt } = req.params;
    const presented = bearerOf(req.headers.authorization);
    if (
      !presented ||
      !(await credentials.verify(namespace, attempt, presented))
    ) {
      throw new AuthenticationError(REFUSED);
    }
    const { interactionId, approval } = req.query;
    const query = {
      ...(typeof interactionId === 'string' && interactionId
        ? { interactionId }
        : {}),
      ...(typeof approval === 'string' && approval ? { approval } : {}),
    };
    if (Object.keys(query).length !== 1) {
      throw new InputError(
        'interactionId: give exactly one of the query parameters interactionId and approval',
      );
    }
    let found = approvalOf(
      await approvals.forAttempt(namespace, attempt),
      query,
    );
    if (found && (await approvals.expireIfDue(found))) {
      found = await approvals.get(namespace, found.metadata.name);
    }
    res.set('cache-control', 'no-store').json(answerOf(found));
  });
  return router;
}

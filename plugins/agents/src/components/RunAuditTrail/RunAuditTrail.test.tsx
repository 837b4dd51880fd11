import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  AuditChainVerification,
  AuditRecord,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { artifactFixture } from '../../__testUtils__/artifactFixtures';
import { approvalFixture, runFixture } from '../../__testUtils__/fixtures';
import { executionFixture } from '../../__testUtils__/ruleFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { RunAuditTrail } from './RunAuditTrail';

const base = runFixture('run-1');
const run = {
  ...base,
  metadata: { ...base.metadata, labels: { [TRIGGER_RULE_LABEL]: 'nightly' } },
};

let nextSeq = 1;
function record(
  kind: string,
  name: string,
  action: string,
  actor = 'user:default/alice',
): AuditRecord {
  const seq = nextSeq++;
  return {
    id: String(100 + seq),
    seq,
    occurredAt: `2026-01-01T10:00:${String(seq).padStart(2, '0')}.000Z`,
    actor,
    action,
    target: { kind, namespace: 'acme', name },
    prevDigest: `sha256:${seq - 1}`,
    digest: `sha256:${seq}`,
  };
}

function refused(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/** The backend as the trail sees it: the run's objects and the audit records of each. */
function fakeApi(verification: () => Promise<AuditChainVerification>) {
  nextSeq = 1;
  const records = [
    record('AgentTriggerExecution', 'nightly-1a2b', 'create', 'service:agents'),
    record('AgentDispatchRun', 'run-1', 'create', 'service:agents'),
    record('AgentStack', 'elsewhere', 'update'),
    record('AgentDispatchRun', 'run-1', 'update-status', 'service:agents'),
    record('AgentDispatchRun', 'run-1', 'update-status', 'service:agents'),
    record('AgentApproval', 'ap-1', 'create', 'service:agents'),
    record('AgentApproval', 'ap-1', 'update-status'),
    record('AgentReviewArtifact', 'run-1-1-fix', 'create', 'service:agents'),
    record('AgentReviewArtifact', 'run-1-1-fix', 'write-back:git:branch'),
  ];
  const audited: string[] = [];
  const api: Partial<AgentsApi> = {
    listResources: jest.fn(async () => ({
      items: [
        executionFixture('nightly-1a2b', {
          rule: 'nightly',
          status: { outcome: 'dispatched', run: 'run-1' },
        }),
        executionFixture('nightly-3c4d', {
          rule: 'nightly',
          status: { outcome: 'dispatched', run: 'run-other' },
        }),
      ] as any,
      metadata: { resourceVersion: '1' },
    })),
    listApprovals: async () => ({
      items: [approvalFixture('ap-1')],
      resourceVersion: '1',
    }),
    listArtifacts: async () => ({ items: [artifactFixture('run-1-1-fix')] }),
    listAuditRecords: async target => {
      audited.push(`${target.kind}/${target.name}`);
      // Newest first, as GET /audit answers.
      return {
        items: records
          .filter(
            r => r.target.kind === target.kind && r.target.name === target.name,
          )
          .reverse(),
      };
    },
    verifyAuditChain: jest.fn(verification),
  };
  return { api, audited };
}

async function renderTrail(api: Partial<AgentsApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <RunAuditTrail run={run} />
    </TestApiProvider>,
  );
}

const lines = async () =>
  within(await screen.findByRole('list', { name: 'Audit records' }))
    .getAllByRole('listitem')
    .map(item => item.textContent);

describe('RunAuditTrail', () => {
  it('lists trigger, run, approval and write-back records in chain order, with the chain verified', async () => {
    const { api, audited } = fakeApi(async () => ({
      org: 'acme',
      ok: true,
      records: 9,
      head: { seq: 9, digest: 'sha256:9' },
    }));
    await renderTrail(api);

    expect(await lines()).toEqual([
      expect.stringMatching(
        /^Trigger nightly-1a2b: create#1 · .* · service:agents$/,
      ),
      expect.stringMatching(/^Run run-1: create#2 · /),
      expect.stringMatching(/^Run run-1: update-status ×2#4–5 · /),
      expect.stringMatching(/^Approval ap-1: create#6 · /),
      expect.stringMatching(/^Approval ap-1: update-status#7 · .*alice$/),
      expect.stringMatching(/^Artifact run-1-1-fix: create#8 · /),
      expect.stringMatching(/^Write-back run-1-1-fix: write-back:git:branch#9/),
    ]);
    expect(audited).toEqual([
      'AgentTriggerExecution/nightly-1a2b',
      'AgentDispatchRun/run-1',
      'AgentApproval/ap-1',
      'AgentReviewArtifact/run-1-1-fix',
    ]);
    expect(api.listResources).toHaveBeenCalledWith('agenttriggerexecutions', {
      namespace: 'acme',
      labelSelector: `${TRIGGER_RULE_LABEL}=nightly`,
      limit: 100,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect(
      await screen.findByText(
        'Chain verified: 9 records of acme, none edited or missing.',
      ),
    ).toBeInTheDocument();
  });

  it('shows where the chain is broken, and verifies again on request', async () => {
    const { api } = fakeApi(async () => ({
      org: 'acme',
      ok: false,
      brokenAt: {
        seq: 6,
        id: '106',
        reason: 'digest-mismatch',
        message:
          'Record 106 at seq 6 does not match its digest: the record was edited',
      },
    }));
    await renderTrail(api);

    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect(
      await screen.findByText(
        'Chain broken at seq 6: Record 106 at seq 6 does not match its digest: the record was edited',
      ),
    ).toBeInTheDocument();
    expect((await lines())[3]).toMatch(
      /^Approval ap-1: create — chain broken here#6/,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    await waitFor(() => expect(api.verifyAuditChain).toHaveBeenCalledTimes(2));
    expect(api.verifyAuditChain).toHaveBeenCalledWith('acme');
  });

  it('reads the trail again when the page says something changed, and verifies the chain only when asked', async () => {
    const { api, audited } = fakeApi(async () => ({
      org: 'acme',
      ok: true,
      records: 9,
    }));
    const Harness = () => {
      const [key, setKey] = useState(0);
      return (
        <>
          <button onClick={() => setKey(k => k + 1)}>Something changed</button>
          <RunAuditTrail run={run} refreshKey={key} />
        </>
      );
    };
    await renderInTestApp(
      <TestApiProvider apis={[[agentsApiRef, api]]}>
        <Harness />
      </TestApiProvider>,
    );
    await lines();
    fireEvent.click(screen.getByRole('button', { name: 'Something changed' }));
    await waitFor(() =>
      expect(audited.filter(t => t === 'AgentDispatchRun/run-1')).toHaveLength(
        2,
      ),
    );
    expect(api.verifyAuditChain).not.toHaveBeenCalled();
    expect(
      screen.getByText(
        'Not verified yet: verifying checks every audit record of acme.',
      ),
    ).toBeInTheDocument();
  });

  it('says what it could not read or verify instead of hiding it', async () => {
    const { api } = fakeApi(async () => {
      throw await refused(
        403,
        'Verifying the audit chain of org acme needs read on every kind there; not allowed: agents.secret-grant.read',
      );
    });
    const listAuditRecords = api.listAuditRecords!;
    api.listAuditRecords = async (target, options) => {
      if (target.kind === 'AgentApproval') {
        throw await refused(403, 'agents.approval.read is not allowed');
      }
      return listAuditRecords(target, options);
    };
    await renderTrail(api);

    expect(await lines()).toHaveLength(5);
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect(
      await screen.findByText(
        'Chain not verified: Verifying the audit chain of org acme needs read on every kind there; not allowed: agents.secret-grant.read',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Not shown: AgentApproval ap-1 (agents.approval.read is not allowed)',
      ),
    ).toBeInTheDocument();
  });
});

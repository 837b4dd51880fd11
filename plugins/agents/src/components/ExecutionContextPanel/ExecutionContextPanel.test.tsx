import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { attemptFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { ExecutionContextPanel } from './ExecutionContextPanel';

const bundle = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentContextBundle',
  metadata: { name: 'run-1-1-context', namespace: 'acme' },
  spec: {
    run: 'run-1',
    parts: [
      {
        kind: 'system-prompt',
        content: 'You fix the issue.',
        provenance: { source: 'AgentStack/scripted-demo' },
        redactions: 0,
        digest: 'sha256:326e907ae7c02e436812d1da',
      },
      {
        kind: 'context-label',
        content: 'Use [REDACTED] for money.',
        provenance: {
          source: 'AgentContextLabel/acme-conventions',
          ref: 'generation 1',
        },
        redactions: 2,
        digest: 'sha256:8fbd557f232c16aa2a2494b0',
      },
    ],
    digest: 'sha256:1fee8ba9a6b1b0f7ddaa151a',
  },
};

function renderPanel(getResource: AgentsApi['getResource']) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { getResource }]]}>
      <ExecutionContextPanel
        namespace="acme"
        currentAttempt="run-1-1"
        attempts={[attemptFixture('run-1-1', 'run-1')]}
      />
    </TestApiProvider>,
  );
}

describe('ExecutionContextPanel', () => {
  it('shows the bundle parts with provenance, redactions and digests', async () => {
    const calls: string[][] = [];
    await renderPanel(async (...args) => {
      calls.push(args);
      return bundle as any;
    });
    expect(await screen.findByText(/2 redactions/)).toHaveTextContent(
      'Bundle run-1-1-context · digest 1fee8ba9a6b1 · 2 parts · 2 redactions',
    );
    expect(calls).toEqual([['agentcontextbundles', 'acme', 'run-1-1-context']]);
    const label = screen.getByRole('button', {
      name: 'Context part context-label from AgentContextLabel/acme-conventions',
    });
    expect(label).toHaveTextContent('@ generation 1');
    expect(label).toHaveTextContent('2 redacted · 8fbd557f232c');
    fireEvent.click(label);
    expect(
      await screen.findByText('Use [REDACTED] for money.'),
    ).toBeInTheDocument();
  });

  it('says when the attempt has no bundle', async () => {
    const notFound = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'nope' },
          response: { statusCode: 404 },
        }),
        {
          status: 404,
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await renderPanel(async () => {
      throw notFound;
    });
    expect(
      await screen.findByText('No context bundle run-1-1-context (yet).'),
    ).toBeInTheDocument();
  });
});

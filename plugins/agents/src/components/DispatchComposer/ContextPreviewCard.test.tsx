import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { DispatchRunRequest } from '@krate/plugin-agents-common';
import { fireEvent, screen } from '@testing-library/react';
import { AgentsApi, agentsApiRef } from '../../api';
import { ContextPreviewCard } from './ContextPreviewCard';

const request: DispatchRunRequest = {
  namespace: 'acme',
  stack: 'scripted-demo',
  prompt: 'Fix it. My key is [REDACTED]',
};

function renderCard(
  previewRun: AgentsApi['previewRun'],
  props: { request?: DispatchRunRequest; missing?: string } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { previewRun }]]}>
      <ContextPreviewCard request={props.request ?? request} {...props} />
    </TestApiProvider>,
  );
}

describe('ContextPreviewCard', () => {
  it('shows the bundle the backend would assemble for the form, part by part', async () => {
    const asked: DispatchRunRequest[] = [];
    await renderCard(async body => {
      asked.push(body);
      return {
        digest: 'sha256:0123456789abcdef0123',
        profileDigest: 'sha256:feed',
        parts: [
          {
            kind: 'context-label',
            content: 'Use integer cents.',
            provenance: {
              source: 'AgentContextLabel/acme-conventions',
              ref: 'generation 2',
            },
            redactions: 0,
            digest: 'sha256:aaaa',
          },
          {
            kind: 'prompt',
            content: 'Fix it. My key is [REDACTED]',
            provenance: { source: 'user' },
            redactions: 1,
            digest: 'sha256:bbbb',
          },
        ],
      };
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview context' }));
    expect(
      await screen.findByLabelText(
        'Context part context-label from AgentContextLabel/acme-conventions',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/2 parts · 1 redaction$/)).toBeInTheDocument();
    expect(screen.getByText('0123456789ab')).toBeInTheDocument();
    expect(asked).toEqual([request]);
  });

  it("says why there is nothing to preview, and shows the server's refusal", async () => {
    const { rerender } = await renderCard(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'stack: AgentStack acme/scripted-demo does not exist',
            },
          }),
          { status: 400, statusText: 'Bad Request' },
        ) as any,
      );
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview context' }));
    expect(
      await screen.findByText(
        /Could not preview: .*stack: AgentStack acme\/scripted-demo does not exist/,
      ),
    ).toBeInTheDocument();
    rerender(
      <TestApiProvider apis={[[agentsApiRef, { previewRun: jest.fn() }]]}>
        <ContextPreviewCard
          request={request}
          missing="Write a prompt to preview the context."
        />
      </TestApiProvider>,
    );
    expect(
      screen.getByRole('button', { name: 'Preview context' }),
    ).toBeDisabled();
    expect(
      screen.getByText('Write a prompt to preview the context.'),
    ).toBeInTheDocument();
  });
});

import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  PermissionReview,
  PermissionReviewRequest,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { permissionReviewFixture } from '../../__testUtils__/accessFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { PermissionReviewForm } from './PermissionReviewForm';

async function renderForm(
  answer: (request: PermissionReviewRequest) => Promise<PermissionReview>,
  initialSubject?: { kind: 'service-account'; name: string },
) {
  const reviewPermission = jest.fn(answer);
  const api: Partial<AgentsApi> = { reviewPermission };
  await renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <PermissionReviewForm
        namespace="acme"
        permissions={['agents.run.create', 'agents.secret-grant.create']}
        stacks={['payments-triage']}
        initialSubject={initialSubject}
      />
    </TestApiProvider>,
  );
  return reviewPermission;
}

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('PermissionReviewForm', () => {
  it('reviews an action and shows the decision, the chain in order, the reasons and warnings', async () => {
    const reviewPermission = await renderForm(async () =>
      permissionReviewFixture(),
    );
    type('Subject', 'user:default/alice');
    type('Action', 'agents.secret-grant.create');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));

    expect(await screen.findByLabelText('Decision denied')).toHaveTextContent(
      'Denied',
    );
    expect(reviewPermission).toHaveBeenCalledWith({
      namespace: 'acme',
      subject: { kind: 'user', name: 'user:default/alice' },
      action: 'agents.secret-grant.create',
    });
    const steps = within(
      screen.getByRole('list', { name: 'Decision chain' }),
    ).getAllByRole('listitem');
    expect(steps.map(step => step.textContent)).toEqual([
      'holdsmembership group:default/payments: user:default/alice is a member',
      'holdsbinding AgentRoleBinding/payments-dispatchers: binds group:default/payments to krate-agents-dispatcher',
      'does not holdrole ClusterRole/krate-agents-dispatcher: does not include agents.secret-grant.create',
    ]);
    expect(screen.getByRole('list', { name: 'Reasons' })).toHaveTextContent(
      'No binding gives user:default/alice a role with agents.secret-grant.create in acme.',
    );
    expect(
      screen.getByRole('list', { name: 'Review warnings' }),
    ).toHaveTextContent('Escalation · AgentRoleBinding/bot-admin');
  });

  it('reviews a stack for one repository for the subject it was opened with', async () => {
    const reviewPermission = await renderForm(
      async request => ({
        decision: 'allowed',
        subject: request.subject,
        stack: request.stack,
        chain: [],
        reasons: [],
        warnings: [],
      }),
      { kind: 'service-account', name: 'agent-bot' },
    );
    expect(screen.getByLabelText('Subject')).toHaveValue('agent-bot');
    expect(screen.getByLabelText('Subject kind')).toHaveValue(
      'service-account',
    );
    fireEvent.click(screen.getByRole('radio', { name: 'A stack' }));
    type('Stack', 'payments-triage');
    type('Repository', 'acme/payments-api');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));

    expect(await screen.findByLabelText('Decision allowed')).toBeVisible();
    expect(reviewPermission).toHaveBeenCalledWith({
      namespace: 'acme',
      subject: { kind: 'service-account', name: 'agent-bot' },
      stack: 'payments-triage',
      repository: 'acme/payments-api',
    });
    expect(
      screen.getByText(/dispatch and run stack payments-triage/),
    ).toBeInTheDocument();
  });

  it('names the fields to fix and asks nothing while they are wrong', async () => {
    const reviewPermission = await renderForm(async () =>
      permissionReviewFixture(),
    );
    type('Subject kind', 'team');
    type('Repository', 'payments-api');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));

    expect(
      await screen.findByText('Name the subject to review'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Choose the permission to review'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('A repository is <org>/<repository>'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Review' })).toBeDisabled();
    expect(reviewPermission).not.toHaveBeenCalled();
  });

  it('shows the reason the server refused the review', async () => {
    await renderForm(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'subject.name: no AgentServiceAccount agent-gone',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        ) as any,
      );
    });
    type('Subject kind', 'service-account');
    type('Subject', 'agent-gone');
    type('Action', 'agents.run.create');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByText(
        'The review failed: subject.name: no AgentServiceAccount agent-gone',
      ),
    ).toBeInTheDocument();
  });
});

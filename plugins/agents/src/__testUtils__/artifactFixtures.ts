import { ResponseError } from '@backstage/errors';
import {
  AgentReviewArtifact,
  WriteBackRecord,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';

export const PATCH =
  'diff --git a/src/rounding.js b/src/rounding.js\n--- /dev/null\n+++ b/src/rounding.js\n@@ -0,0 +1,1 @@\n+exports.toCents = amount => Math.round(amount * 100);\n';

export const DIGEST =
  'sha256:1111111111111111111111111111111111111111111111111111111111111111';

/** An AgentReviewArtifact of run-1 as `GET /artifacts` answers, with overrides merged. */
export function artifactFixture(
  name: string,
  overrides: {
    spec?: Partial<AgentReviewArtifact['spec']>;
    status?: AgentReviewArtifact['status'];
  } = {},
): AgentReviewArtifact {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentReviewArtifact',
    metadata: {
      name,
      namespace: 'acme',
      labels: { 'agents.krate.dev/run': 'run-1' },
      creationTimestamp: '2026-01-01T10:02:00.000Z',
    },
    spec: {
      kind: 'patch',
      run: 'run-1',
      attempt: 'run-1-1',
      repository: 'acme/payments-api',
      title: 'rounding-fix.patch',
      digest: DIGEST,
      sizeBytes: PATCH.length,
      contentRef: `artifacts/acme/${name}`,
      ...overrides.spec,
    },
    status: { state: 'ready', ...overrides.status },
  };
}

/** One write-back of `run-1-1-rounding-fix`, with overrides. */
export function writeBackFixture(
  overrides: Partial<WriteBackRecord> = {},
): WriteBackRecord {
  return {
    key: 'wb-1',
    namespace: 'acme',
    artifact: 'run-1-1-rounding-fix',
    run: 'run-1',
    digest: DIGEST,
    target: 'github',
    operation: {
      operation: 'pull-request',
      branch: 'agents/run-1',
      title: 'rounding-fix.patch',
    },
    state: 'awaiting-approval',
    approval: 'run-1-ap-wb1',
    requestedBy: 'user:development/guest',
    createdAt: '2026-01-01T10:03:00.000Z',
    updatedAt: '2026-01-01T10:03:00.000Z',
    ...overrides,
  };
}

export const TARGETS: WriteBackTargetChoice[] = [
  {
    target: 'git',
    displayName: 'Git remote',
    operations: ['branch'],
    available: true,
  },
  {
    target: 'github',
    displayName: 'GitHub',
    operations: [
      'branch',
      'pull-request',
      'review',
      'comment',
      'issue-comment',
    ],
    available: true,
  },
  {
    target: 'gitea',
    displayName: 'Gitea',
    operations: ['branch', 'pull-request'],
    available: false,
    reason:
      'No integrations.gitea entry for gitea.example.com: configure one to open pull requests',
  },
];

/** A refusal as the backend answers it, e.g. 409 with the reason. */
export function refusal(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { until } from '../until';
import {
  KubernetesDouble,
  kubectlPath,
  runKubectl,
  startKubernetesDouble,
} from './index';
import { AGENTS_CRDS_DIR, readManifests } from './startKubernetesDouble';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples', 'agents');
const TOOL_PROFILES_CRD = path.join(AGENTS_CRDS_DIR, 'agenttoolprofiles.yaml');
const TOOL_PROFILES_EXAMPLE = path.join(EXAMPLES_DIR, 'tools.yaml');

describe('Kubernetes API server double with Debian kubectl 1.20', () => {
  let double: KubernetesDouble;
  let scratch: string;
  const kubectl = (args: string[], stdin?: string) =>
    runKubectl(double.kubeconfigPath, args, { stdin });

  beforeEach(async () => {
    double = await startKubernetesDouble();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-test-'));
  });

  afterEach(async () => {
    await double.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('is the Debian 1.20 build', async () => {
    const version = await runKubectl(double.kubeconfigPath, [
      'version',
      '--client',
      '--short',
    ]);
    expect(kubectlPath()).not.toBe('/usr/bin/kubectl');
    expect(version.stdout).toContain('v1.20.');
  });

  it('applies the agents CRDs and every example of a kind they define, and prints AgentStack columns', async () => {
    const crds = await kubectl(['apply', '-f', AGENTS_CRDS_DIR]);
    expect(crds.stderr).toBe('');
    expect(crds.code).toBe(0);
    expect(crds.stdout.trim().split('\n')).toHaveLength(
      fs.readdirSync(AGENTS_CRDS_DIR).length,
    );

    const kinds = new Set(
      readManifests(AGENTS_CRDS_DIR).map(crd => (crd.spec as any).names.kind),
    );
    const exampleFiles = fs
      .readdirSync(EXAMPLES_DIR)
      .map(file => path.join(EXAMPLES_DIR, file))
      .filter(file =>
        readManifests(file).every(object => kinds.has(object.kind)),
      );
    expect(exampleFiles.map(f => path.basename(f))).toContain('stacks.yaml');
    expect((await kubectl(['create', 'namespace', 'acme'])).code).toBe(0);
    const applied = await kubectl([
      'apply',
      ...exampleFiles.flatMap(f => ['-f', f]),
    ]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(
      /agentstack\.agents\.krate\.dev\/scripted-demo created/,
    );

    const stacks = await kubectl(['get', 'agentstacks', '-A']);
    expect(stacks.code).toBe(0);
    const [header, ...rows] = stacks.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAMESPACE',
      'NAME',
      'RUNTIME',
      'MODEL',
      'READINESS',
      'AGE',
    ]);
    expect(
      rows.some(row => /^acme\s+scripted-demo\s+scripted\s/.test(row)),
    ).toBe(true);
  });

  it('prints printer columns, applies a changed file as configured and deletes', async () => {
    expect((await kubectl(['apply', '-f', TOOL_PROFILES_CRD])).code).toBe(0);
    expect((await kubectl(['create', 'namespace', 'acme'])).code).toBe(0);
    const created = await kubectl(['apply', '-f', TOOL_PROFILES_EXAMPLE]);
    expect(created.stdout).toContain(
      'agenttoolprofile.agents.krate.dev/payments-safe created',
    );

    const listed = await kubectl(['get', 'agenttoolprofiles', '-A']);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAMESPACE',
      'NAME',
      'NETWORK',
      'READINESS',
      'AGE',
    ]);
    expect(rows.map(r => r.split(/\s+/).slice(0, 3))).toEqual([
      ['acme', 'payments-safe', 'allow-list'],
      ['acme', 'sandbox', 'none'],
    ]);

    const unchanged = await kubectl(['apply', '-f', TOOL_PROFILES_EXAMPLE]);
    expect(unchanged.stdout).toContain(
      'agenttoolprofile.agents.krate.dev/payments-safe unchanged',
    );
    const changedFile = path.join(scratch, 'tools.yaml');
    fs.writeFileSync(
      changedFile,
      fs
        .readFileSync(TOOL_PROFILES_EXAMPLE, 'utf8')
        .replace('mode: allow-list', 'mode: none'),
    );
    const configured = await kubectl(['apply', '-f', changedFile]);
    expect(configured.stdout).toContain(
      'agenttoolprofile.agents.krate.dev/payments-safe configured',
    );
    const network = await kubectl([
      'get',
      'agenttoolprofile',
      'payments-safe',
      '-n',
      'acme',
      '-o',
      'jsonpath={.spec.network.mode} {.metadata.generation}',
    ]);
    expect(network.stdout).toBe('none 2');

    const deleted = await kubectl(['delete', '-f', changedFile]);
    expect(deleted.stdout).toContain(
      'agenttoolprofile.agents.krate.dev "payments-safe" deleted',
    );
    const gone = await kubectl([
      'get',
      'agenttoolprofile',
      'payments-safe',
      '-n',
      'acme',
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(
      'agenttoolprofiles.agents.krate.dev "payments-safe" not found',
    );
  });

  it('shows a change made through client-node in `kubectl get -w`', async () => {
    expect((await kubectl(['apply', '-f', TOOL_PROFILES_CRD])).code).toBe(0);
    expect((await kubectl(['create', 'namespace', 'acme'])).code).toBe(0);
    expect((await kubectl(['apply', '-f', TOOL_PROFILES_EXAMPLE])).code).toBe(
      0,
    );

    const watcher = spawn(kubectlPath(), [
      `--kubeconfig=${double.kubeconfigPath}`,
      `--cache-dir=${path.join(scratch, 'cache')}`,
      'get',
      'agenttoolprofiles',
      '-n',
      'acme',
      '-w',
    ]);
    let output = '';
    watcher.stdout.on('data', chunk => (output += chunk));
    try {
      await until(
        async () => output,
        text => /sandbox\s+none/.test(text),
      );
      const objects = double.kubeConfig().makeApiClient(CustomObjectsApi);
      await objects
        .patchNamespacedCustomObject(
          {
            group: 'agents.krate.dev',
            version: 'v1alpha1',
            namespace: 'acme',
            plural: 'agenttoolprofiles',
            name: 'sandbox',
            body: { status: { readiness: 'Ready' } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        )
        .catch(() => undefined);
      await objects.patchNamespacedCustomObjectStatus(
        {
          group: 'agents.krate.dev',
          version: 'v1alpha1',
          namespace: 'acme',
          plural: 'agenttoolprofiles',
          name: 'sandbox',
          body: { status: { readiness: 'Ready' } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await until(
        async () => output,
        text => /sandbox\s+none\s+Ready/.test(text),
      );
    } finally {
      watcher.kill('SIGKILL');
    }
  });

  it('answers `kubectl auth can-i` for a restricted user with SelfSubjectAccessReview', async () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader', namespace: 'default' },
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'pods/log'],
          verbs: ['get', 'list'],
        },
      ],
    };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'alice-reads-pods', namespace: 'default' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'pod-reader',
      },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      ],
    };
    const applied = await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [role, binding],
      }),
    );
    expect(applied.code).toBe(0);

    const alice = double.kubeConfigFor('alice', ['developers']);
    const canI = (args: string[]) =>
      runKubectl(alice.kubeconfigPath, ['auth', 'can-i', ...args]);
    expect((await canI(['list', 'pods'])).stdout.trim()).toBe('yes');
    expect(
      (await canI(['get', 'pods', '--subresource=log'])).stdout.trim(),
    ).toBe('yes');
    const denied = await canI(['delete', 'pods']);
    expect(denied.stdout.trim()).toBe('no');
    expect(denied.code).toBe(1);
    expect(
      (await canI(['list', 'pods', '-n', 'kube-system'])).stdout.trim(),
    ).toBe('no');
    expect(
      double.requests.some(
        r =>
          r.method === 'POST' &&
          r.path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      ),
    ).toBe(true);

    const forbidden = await runKubectl(alice.kubeconfigPath, [
      'get',
      'secrets',
    ]);
    expect(forbidden.stderr).toContain(
      'secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
  });
});

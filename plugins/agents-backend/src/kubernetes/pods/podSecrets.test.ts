import { ConfigReader } from '@backstage/config';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import {
  startTestDispatchEngine,
  storeStacks,
} from '../../__testUtils__/testDispatchEngine';
import { until } from '../../__testUtils__/until';
import { ScriptedRuntime } from '../../runtimes/scripted';
import { ConfigSecretSource } from '../../secrets/ConfigSecretSource';
import { LaunchSecretResolver } from '../../secrets/LaunchSecretResolver';
import { SecretSources } from '../../secrets/SecretSources';
import {
  createPodNamespace,
  POD_NAMESPACE,
  podProfile,
  testPlacement,
  testPool,
} from './__testUtils__/podTestKit';
import { runnerPodName } from './podNames';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ACTOR = 'user:default/alice';

describe.each(databases.eachSupportedId())(
  'granted secrets in a runner pod on %p',
  databaseId => {
    let double: KubernetesDouble;
    let kubeConfig: KubeConfig;
    let core: CoreV1Api;
    let dataDir: string;
    let runsRoot: string;
    let engine: Awaited<ReturnType<typeof startTestDispatchEngine>> | undefined;

    beforeEach(async () => {
      double = await startKubernetesDouble();
      kubeConfig = double.kubeConfig();
      core = kubeConfig.makeApiClient(CoreV1Api);
      await createPodNamespace(kubeConfig);
      dataDir = fs.realpathSync(
        fs.mkdtempSync(path.join(os.tmpdir(), 'krate-pod-secrets-')),
      );
      runsRoot = path.join(dataDir, 'runs');
      fs.mkdirSync(runsRoot);
    });
    afterEach(async () => {
      await engine?.worker.stop();
      engine = undefined;
      await double.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("gives the pod's consumers exactly their granted values, as on the host, and shows the values nowhere", async () => {
      const mcpToken = `canary-mcp-${randomBytes(8).toString('hex')}`;
      const skillKey = `canary-skill-${randomBytes(8).toString('hex')}`;
      const profile = podProfile(
        'granted',
        [
          {
            shell:
              'printf "%s|%s|%s%s%s" "$password" "${VAULT_TOKEN:-unset}" "${KRATE_GRANTED_0:-unset}" "${KRATE_GRANTED_1:-unset}" "${KRATE_RUNNER_CREDENTIAL:-unset}" > env.txt',
          },
          { sleepMs: 2000 },
          { say: 'done' },
        ],
        {
          runtimeServiceAccount: 'bot',
          mcpServers: [
            {
              name: 'vault',
              spec: {
                transport: 'stdio',
                command: 'vault-mcp',
                secretRefs: [
                  { name: 'vault-creds', key: 'token', env: 'VAULT_TOKEN' },
                ],
              },
            },
          ],
          skills: [
            {
              name: 'runbook',
              spec: { requiredSecrets: [{ name: 'db', key: 'password' }] },
            },
          ],
        },
      );
      const { db, store } = await createTestStore(databases, databaseId);
      await storeStacks(store, [profile]);
      for (const [name, secretName, key] of [
        ['vault-token', 'vault-creds', 'token'],
        ['db-password', 'db', 'password'],
      ]) {
        await store.create(
          {
            apiVersion: 'agents.krate.dev/v1alpha1',
            kind: 'AgentSecretGrant',
            metadata: { name, namespace: 'acme' },
            spec: {
              secretName,
              keys: [key],
              subjects: [{ kind: 'agent', name: 'bot' }],
              purpose: 'test',
            },
          },
          { actor: ACTOR },
        );
      }
      const launchSecrets = new LaunchSecretResolver({
        store,
        sources: new SecretSources([
          new ConfigSecretSource(
            new ConfigReader({
              agents: {
                secrets: {
                  acme: {
                    secrets: {
                      'vault-creds': { token: mcpToken },
                      db: { password: skillKey },
                    },
                  },
                },
              },
            }),
          ),
        ]),
      });
      engine = await startTestDispatchEngine({
        instance: 'instance-1',
        knex: db.knex,
        store,
        runsRoot,
        runtimes: [new ScriptedRuntime()],
        profiles: [profile],
        placement: testPlacement({
          kubeConfig,
          store,
          pools: [testPool(runsRoot)],
        }),
        launchSecrets,
      });
      const { dispatch } = engine;
      const run = await dispatch.dispatch(
        dispatch.draftRun(
          { namespace: 'acme', stack: 'granted', prompt: 'Go' },
          ACTOR,
        ),
        ACTOR,
      );
      const name = run.metadata.name;
      const attempt = (await until(
        () => store.get('AgentDispatchRun', 'acme', name),
        r => Boolean(r?.status?.currentAttempt),
      ))!.status!.currentAttempt as string;
      const podName = runnerPodName(attempt);
      const workDir = path.join(runsRoot, 'acme', name);
      await until(
        async () => fs.existsSync(path.join(workDir, 'env.txt')),
        Boolean,
      );
      // While it runs: the launch file names variables, the pod references the attempt's Secret.
      const configMap = await core.readNamespacedConfigMap({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      const file = JSON.parse(configMap.data!['launch.json']);
      expect(file.granted).toEqual({
        mcpServers: { vault: { VAULT_TOKEN: 'KRATE_GRANTED_0' } },
        environment: { password: 'KRATE_GRANTED_1' },
      });
      const pod = await core.readNamespacedPod({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      const env = pod.spec!.containers[0].env!;
      expect(env.filter(e => e.name.startsWith('KRATE_GRANTED_'))).toEqual([
        {
          name: 'KRATE_GRANTED_0',
          valueFrom: { secretKeyRef: { name: podName, key: 'granted-0' } },
        },
        {
          name: 'KRATE_GRANTED_1',
          valueFrom: { secretKeyRef: { name: podName, key: 'granted-1' } },
        },
      ]);

      const ended = (await until(
        () => store.get('AgentDispatchRun', 'acme', name),
        r => ['Succeeded', 'Failed'].includes(r?.status?.phase as string),
      )) as AgentDispatchRun;
      expect(ended.status?.phase).toBe('Succeeded');
      // The skill's key reached the agent's tools; the MCP server's did not, nor did the
      // runner's own variables.
      expect(fs.readFileSync(path.join(workDir, 'env.txt'), 'utf8')).toBe(
        `${skillKey}|unset|unsetunsetunset`,
      );

      const events = await engine.parts.events.read(
        { namespace: 'acme', run: name },
        { sinceSeq: 0, limit: 10_000 },
      );
      const log = await core.readNamespacedPodLog({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      const shown = JSON.stringify([
        configMap,
        pod.spec,
        await core.readNamespacedPod({
          namespace: POD_NAMESPACE,
          name: podName,
        }),
        events,
        log,
        await store.get('AgentDispatchAttempt', 'acme', attempt),
      ]);
      for (const value of [mcpToken, skillKey]) {
        expect(shown).not.toContain(value);
        expect(shown).not.toContain(Buffer.from(value).toString('base64'));
      }
      await expect(
        core.readNamespacedSecret({ namespace: POD_NAMESPACE, name: podName }),
      ).rejects.toMatchObject({ code: 404 });
    });
  },
);

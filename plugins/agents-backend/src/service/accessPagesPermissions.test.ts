import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { agentsPlugin } from '../plugin';

jest.setTimeout(60_000);

const API = '/api/agents';
const BASE = `${API}/apis/agents.krate.dev/v1alpha1/namespaces/acme`;

/** A valid object of each kind the identity, secret, permission and tool pages write. */
const OBJECTS: Record<
  string,
  { plural: string; permission: string; spec: object }
> = {
  AgentServiceAccount: {
    plural: 'agentserviceaccounts',
    permission: 'service-account',
    spec: { purpose: 'agent', serviceAccountName: 'krate-agent' },
  },
  AgentRoleBinding: {
    plural: 'agentrolebindings',
    permission: 'role-binding',
    spec: {
      subjects: [{ kind: 'team', name: 'group:default/payments' }],
      roleRef: { kind: 'ClusterRole', name: 'krate-agents-viewer' },
    },
  },
  AgentSecretGrant: {
    plural: 'agentsecretgrants',
    permission: 'secret-grant',
    spec: {
      secretName: 'github-mcp',
      keys: ['token'],
      subjects: [{ kind: 'agent', name: 'agent-default' }],
      purpose: 'The GitHub MCP server authenticates with it.',
    },
  },
  AgentConfigGrant: {
    plural: 'agentconfiggrants',
    permission: 'config-grant',
    spec: {
      configMapName: 'payments-agent-config',
      keys: ['sandbox-url'],
      subjects: [{ kind: 'agent', name: 'agent-default' }],
      purpose: 'Tests point at the sandbox acquirer.',
    },
  },
  AgentToolProfile: {
    plural: 'agenttoolprofiles',
    permission: 'tool-profile',
    spec: { allowedTools: ['Read'] },
  },
  AgentMcpServer: {
    plural: 'agentmcpservers',
    permission: 'mcp-server',
    spec: { transport: 'http', url: 'https://mcp.acme.example/github' },
  },
  AgentSkill: {
    plural: 'agentskills',
    permission: 'skill',
    spec: {
      source: { repository: 'acme/payments-api', path: '.agents/skills/x' },
    },
  },
};

const TYPED_CREATES: [string, string][] = [
  ['/identities/service-accounts', 'AgentServiceAccount'],
  ['/permissions/role-bindings', 'AgentRoleBinding'],
  ['/secrets/grants', 'AgentSecretGrant'],
  ['/config/grants', 'AgentConfigGrant'],
];

describe('the identity, secret, permission and tool pages', () => {
  let denied = '';
  let server: any;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        agentsPlugin,
        permissionsDenying(name => name === denied).factory,
        mockServices.rootConfig.factory({
          data: { agents: { permissions: { decisionCacheSeconds: 0 } } },
        }),
      ],
    });
    server = backend.server;
    for (const [kind, { plural, spec }] of Object.entries(OBJECTS)) {
      const created = await request(server)
        .post(`${BASE}/${plural}`)
        .send({ metadata: { name: 'existing' }, spec });
      if (created.status !== 201) {
        throw new Error(`Could not create the ${kind}: ${created.text}`);
      }
    }
  });

  afterEach(() => {
    denied = '';
  });

  const stored = async (kind: string, name: string) =>
    request(server).get(`${BASE}/${OBJECTS[kind].plural}/${name}`);

  it.each(TYPED_CREATES)(
    'POST %s answers 403 without the create permission of %s, creating nothing',
    async (path, kind) => {
      const { permission, spec } = OBJECTS[kind];
      denied = `agents.${permission}.create`;
      const response = await request(server)
        .post(`${API}${path}`)
        .send({ metadata: { name: 'typed', namespace: 'acme' }, spec });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(
        new RegExp(`^agents\\.${permission}\\.create is not allowed`),
      );
      expect((await stored(kind, 'typed')).status).toBe(404);
    },
  );

  describe.each(Object.keys(OBJECTS))('generic routes of %s', kind => {
    const { plural, permission, spec } = OBJECTS[kind];

    it('refuse a create without the create permission', async () => {
      denied = `agents.${permission}.create`;
      const response = await request(server)
        .post(`${BASE}/${plural}`)
        .send({ metadata: { name: 'generic' }, spec });
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        `agents.${permission}.create is not allowed on ${kind} acme/generic`,
      );
      expect((await stored(kind, 'generic')).status).toBe(404);
    });

    it('refuse a replace and a patch without the update permission', async () => {
      const before = (await stored(kind, 'existing')).body;
      denied = `agents.${permission}.update`;
      const replaced = await request(server)
        .put(`${BASE}/${plural}/existing`)
        .send({
          ...before,
          metadata: { ...before.metadata, labels: { changed: 'yes' } },
        });
      expect(replaced.status).toBe(403);
      expect(replaced.body.error.message).toBe(
        `agents.${permission}.update is not allowed on ${kind} acme/existing`,
      );
      const patched = await request(server)
        .patch(`${BASE}/${plural}/existing`)
        .set('content-type', 'application/merge-patch+json')
        .send({ metadata: { labels: { changed: 'yes' } } });
      expect(patched.status).toBe(403);
      denied = '';
      expect((await stored(kind, 'existing')).body.metadata.labels).toEqual(
        before.metadata.labels,
      );
    });

    it('refuse a delete without the delete permission', async () => {
      denied = `agents.${permission}.delete`;
      const response = await request(server).delete(
        `${BASE}/${plural}/existing`,
      );
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        `agents.${permission}.delete is not allowed on ${kind} acme/existing`,
      );
      denied = '';
      expect((await stored(kind, 'existing')).status).toBe(200);
    });
  });
});

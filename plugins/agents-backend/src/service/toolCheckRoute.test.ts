import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CHECK = '/api/agents/tools/check';

const PROFILE = `
apiVersion: agents.krate.dev/v1alpha1
kind: AgentToolProfile
metadata: { name: payments-safe, namespace: acme }
spec:
  allowedTools: [Read, Write, Bash]
  shell:
    allowCommands: ['npm test*', 'npm run lint*', 'git push*']
    denyCommands: ['npm run lint --fix*']
  filesystem:
    readRoots: [.]
    writeRoots: [src, test]
    deniedPaths: ['**/.env']
  network:
    mode: allow-list
    allowedHosts: ['registry.npmjs.org', '*.github.com']
  approvalRequired: [network]
`;

describe.each(databases.eachSupportedId())('POST /tools/check on %p', id => {
  let denied: string[] = [];

  async function start() {
    denied = [];
    const { db } = await createTestStore(databases, id);
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        permissionsDenying(name => denied.includes(name)).factory,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.rootConfig.factory({
          data: { agents: { permissions: { decisionCacheSeconds: 0 } } },
        }),
      ],
    });
    const applied = await request(server)
      .post('/api/agents/apply')
      .set('content-type', 'application/yaml')
      .send(PROFILE);
    expect(applied.status).toBe(200);
    return server;
  }

  const check = (server: any, body: object) =>
    request(server)
      .post(CHECK)
      .send({ namespace: 'acme', profile: 'payments-safe', ...body });

  it('answers allow, deny and human from the profile', async () => {
    const server = await start();
    const source = 'AgentToolProfile/payments-safe';
    const cases: [object, string, string][] = [
      [{ command: 'npm test -- --watch=false' }, 'allow', 'allows it'],
      [
        { command: 'npm run lint --fix src' },
        'deny',
        'denies the command "npm run lint --fix src"',
      ],
      [
        { command: 'rm -rf /' },
        'deny',
        'allows only commands matching npm test*, npm run lint*, git push*',
      ],
      [{ path: 'docs/README.md' }, 'allow', 'allows it'],
      [
        { path: 'docs/README.md', write: true },
        'deny',
        'allows Write only under src, test',
      ],
      [{ path: 'src/pay.ts', write: true }, 'allow', 'allows it'],
      [{ path: 'config/.env' }, 'deny', 'denies access to config/.env'],
      [
        { host: 'api.github.com' },
        'human',
        'requires approval for network actions',
      ],
      [
        { host: 'evil.example' },
        'deny',
        'does not allow the host evil.example',
      ],
    ];
    for (const [body, verdict, reason] of cases) {
      const response = await check(server, body);
      expect({ body, status: response.status, result: response.body }).toEqual({
        body,
        status: 200,
        result: {
          verdict,
          reason: `${source} ${reason}`,
          policySource: source,
        },
      });
    }
  });

  it('answers 404 for a profile the org does not have', async () => {
    const server = await start();
    const elsewhere = await request(server)
      .post(CHECK)
      .send({ namespace: 'beta', profile: 'payments-safe', command: 'ls' });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.message).toBe(
      'AgentToolProfile beta/payments-safe not found',
    );
    const unknown = await check(server, { profile: 'nope', command: 'ls' });
    expect(unknown.status).toBe(404);
  });

  it('answers 403 without agents.tool-profile.read on the profile', async () => {
    const server = await start();
    denied = ['agents.tool-profile.read'];
    const response = await check(server, { command: 'npm test' });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'agents.tool-profile.read is not allowed on AgentToolProfile acme/payments-safe',
    );
    expect(response.body).not.toHaveProperty('verdict');
  });

  it('answers 400 naming the field of a bad body', async () => {
    const server = await start();
    const cases: [unknown, string][] = [
      [[], 'body: must be a JSON object'],
      [{ profile: 'payments-safe', command: 'ls' }, 'namespace: is required'],
      [{ namespace: 'acme', command: 'ls' }, 'profile: is required'],
      [
        { namespace: 7, profile: 'payments-safe', command: 'ls' },
        'namespace: must be a non-empty string',
      ],
      [
        { namespace: 'acme', profile: 'payments-safe' },
        'command, path, host: give exactly one of them',
      ],
      [
        {
          namespace: 'acme',
          profile: 'payments-safe',
          command: 'ls',
          host: 'x',
        },
        'command, path, host: give exactly one of them, not command and host',
      ],
      [
        { namespace: 'acme', profile: 'payments-safe', command: ['ls'] },
        'command: must be a non-empty string',
      ],
      [
        { namespace: 'acme', profile: 'payments-safe', path: '' },
        'path: must be a non-empty string',
      ],
      [
        {
          namespace: 'acme',
          profile: 'payments-safe',
          path: 'a',
          write: 'yes',
        },
        'write: must be a boolean',
      ],
      [
        { namespace: 'acme', profile: 'payments-safe', host: 'x', write: true },
        'write: applies to a path check only',
      ],
      [
        { namespace: 'acme', profile: 'payments-safe', command: 'ls', as: 'x' },
        'as: unknown field',
      ],
    ];
    for (const [body, message] of cases) {
      const response = await request(server)
        .post(CHECK)
        .send(body as object);
      expect({
        body,
        status: response.status,
        error: response.body.error,
      }).toMatchObject({
        body,
        status: 400,
        error: { name: 'InputError', message },
      });
    }
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AgentsCollatorFactory,
  AgentsSearchDocument,
} from './AgentsCollatorFactory';

function doc(name: string): AgentsSearchDocument {
  return {
    title: name,
    text: `AgentStack ${name}`,
    location: `/agents/stacks/acme/${name}`,
    kind: 'AgentStack',
    namespace: 'acme',
  };
}

describe('AgentsCollatorFactory', () => {
  let server: Server;
  let baseUrl: string;
  const requests: IncomingMessage[] = [];
  let respond: (req: IncomingMessage) => { status: number; body?: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      const { status, body } = respond(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/agents`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => requests.splice(0));

  function factory() {
    return AgentsCollatorFactory.fromOptions({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => baseUrl,
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      pageSize: 2,
    });
  }

  async function collect() {
    const documents: AgentsSearchDocument[] = [];
    for await (const document of await factory().getCollator()) {
      documents.push(document);
    }
    return documents;
  }

  it('follows the continue cursor through every page, authenticated as the search plugin', async () => {
    respond = req => {
      const url = new URL(req.url!, 'http://x');
      return url.searchParams.get('continue') === 'page-2'
        ? { status: 200, body: { items: [doc('c')] } }
        : {
            status: 200,
            body: { items: [doc('a'), doc('b')], continue: 'page-2' },
          };
    };

    expect((await collect()).map(d => d.title)).toEqual(['a', 'b', 'c']);
    expect(requests.map(r => r.url)).toEqual([
      '/api/agents/search/documents?limit=2',
      '/api/agents/search/documents?limit=2&continue=page-2',
    ]);
    expect(requests[0].headers.authorization).toMatch(/^Bearer .+/);
  });

  it('indexes nothing when the agents backend has no search route', async () => {
    respond = () => ({
      status: 404,
      body: { error: { message: 'Not found' } },
    });
    await expect(collect()).resolves.toEqual([]);
  });

  it('fails the indexing run on a server error rather than indexing a partial set', async () => {
    respond = () => ({ status: 500 });
    await expect(collect()).rejects.toThrow(
      'Agents search documents request failed: 500 Internal Server Error',
    );
  });
});

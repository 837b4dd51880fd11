import { mockServices } from '@backstage/backend-test-utils';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AgentsMemoryCollatorFactory } from './AgentsMemoryCollatorFactory';

function record(path: string) {
  return {
    title: path,
    text: `prose of ${path}`,
    location: `/agents/memory/records?org=acme&id=${path}`,
    kind: 'service',
    namespace: 'acme',
    path: `${path}.md`,
    commit: 'a'.repeat(40),
    authorization: { resourceRef: 'AgentMemory:acme/memory' },
  };
}

describe('AgentsMemoryCollatorFactory', () => {
  let server: Server;
  let baseUrl: string;
  const urls: string[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      urls.push(req.url!);
      const cursor = new URL(req.url!, 'http://x').searchParams.get('continue');
      const body =
        cursor === '0:2'
          ? { items: [record('services/c')] }
          : {
              items: [record('services/a'), record('services/b')],
              continue: '0:2',
            };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/agents`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('collects memory records page by page, filtered by the memory read permission', async () => {
    const factory = AgentsMemoryCollatorFactory.fromOptions({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => baseUrl,
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      pageSize: 2,
    });
    expect(factory.type).toBe('agents-memory');
    expect(factory.visibilityPermission.name).toBe('agents.memory.read');
    const documents = [];
    for await (const document of await factory.getCollator()) {
      documents.push(document);
    }
    expect(documents.map(d => d.path)).toEqual([
      'services/a.md',
      'services/b.md',
      'services/c.md',
    ]);
    expect(documents[0].authorization).toEqual({
      resourceRef: 'AgentMemory:acme/memory',
    });
    expect(urls).toEqual([
      '/api/agents/memory/search-documents?limit=2',
      '/api/agents/memory/search-documents?limit=2&continue=0%3A2',
    ]);
  });
});

import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { testProfile } from '../__testUtils__/testDispatchEngine';
import { MemoryService } from '../memory/MemoryService';
import { RunMemory } from '../memory/context/RunMemory';
import { ContextAssembler } from './ContextAssembler';
import { Redactor } from './Redactor';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const TOKEN = 'sk-memory-0123456789abcdef';

describe.each(databases.eachSupportedId())(
  'memory in the context bundle on %p',
  databaseId => {
    let repository: ReturnType<typeof createMemoryRepository>;
    let commit: string;

    beforeEach(() => {
      repository = createMemoryRepository();
      commit = repository.commit('2026-12-03T10:00:00Z', {
        'conventions/deploys.md': `---
kind: convention
---
# Deploys

Deploy with the token ${TOKEN} only from CI.
${'Long line of conventions. '.repeat(1000)}
`,
      });
    });
    afterEach(() => repository.remove());

    it('gives the agent each manifest entry at the snapshot commit, redacted, cut at 16 KB, cited path@commit, after the labels and before the prompt', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const memory = new MemoryService([
        { org: 'acme', repositoryPath: repository.path },
      ]);
      const assembler = new ContextAssembler(
        store,
        new Redactor([TOKEN]),
        new RunMemory(memory),
      );
      const assembled = await assembler.assemble({
        namespace: 'acme',
        run: 'run-1',
        attempt: 'run-1-1',
        bundleName: 'run-1-1-context',
        prompt: 'Deploy it',
        profile: testProfile('reader', { systemPrompt: 'Be careful.' }),
        contextLabels: [],
        workingDirectory: repository.path,
        memorySnapshot: {
          org: 'acme',
          commit,
          resolvedFrom: 'current',
          time: '2026-12-04T00:00:00.000Z',
          manifest: [
            {
              query: 0,
              path: 'conventions/deploys.md',
              id: 'conventions/deploys',
            },
            {
              query: 1,
              path: 'conventions/deploys.md',
              id: 'conventions/deploys',
              line: 6,
            },
            {
              query: 2,
              path: 'conventions/deploys.md',
              id: 'conventions/deploys',
            },
          ],
          withheld: 0,
        },
      });
      const parts = (assembled.bundle.spec as any).parts;
      expect(parts.map((p: any) => [p.kind, p.provenance])).toEqual([
        ['system-prompt', { source: 'AgentStack/reader' }],
        ['memory', { source: 'conventions/deploys.md', ref: commit }],
        ['memory', { source: 'conventions/deploys.md#L6', ref: commit }],
        ['prompt', { source: 'user' }],
      ]);
      const [whole, excerpt] = parts.filter((p: any) => p.kind === 'memory');
      expect(whole.redactions).toBe(1);
      expect(whole.content).not.toContain(TOKEN);
      expect(whole.content).toMatch(/\n… \(cut at 16384 bytes of \d+\)$/);
      expect(excerpt.content.split('\n').slice(0, 2)).toEqual([
        'conventions/deploys.md:6',
        '---',
      ]);
      expect(excerpt.redactions).toBe(1);
      expect(excerpt.content.split('\n')).toHaveLength(6);
      expect(assembled.prompt).toContain(
        `Memory conventions/deploys.md@${commit}:\n---\nkind: convention`,
      );
      expect(assembled.prompt).toContain(
        `Memory conventions/deploys.md@${commit}#L6:\nconventions/deploys.md:6`,
      );
      expect(assembled.prompt).not.toContain(TOKEN);
      expect(assembled.prompt.endsWith('Deploy it')).toBe(true);
    });

    it('reads the stored run snapshot when none is given, and nothing for a run without memory', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const assembler = new ContextAssembler(
        store,
        new Redactor(),
        new RunMemory(
          new MemoryService([{ org: 'acme', repositoryPath: repository.path }]),
        ),
      );
      await store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentDispatchRun',
          metadata: { name: 'run-2', namespace: 'acme' },
          spec: {
            stack: 'reader',
            prompt: 'Go',
            memory: { org: 'acme' },
            memorySnapshot: {
              org: 'acme',
              commit: repository.first,
              resolvedFrom: `ref ${repository.first}`,
              time: '2026-12-04T00:00:00.000Z',
              manifest: [
                { query: 0, path: 'services/ledger.md', id: 'services/ledger' },
              ],
              withheld: 0,
            },
          },
        },
        { actor: 'user:default/mock' },
      );
      const options = {
        namespace: 'acme',
        attempt: 'x-1',
        bundleName: 'x-1-context',
        prompt: 'Go',
        profile: testProfile('reader'),
        contextLabels: [],
        workingDirectory: repository.path,
      };
      const run2 = (await store.get(
        'AgentDispatchRun',
        'acme',
        'run-2',
      )) as any;
      const stored = await assembler.assemble({
        ...options,
        run: 'run-2',
        memorySnapshot: run2.spec.memorySnapshot,
      });
      expect((stored.bundle.spec as any).parts[0]).toMatchObject({
        kind: 'memory',
        provenance: { source: 'services/ledger.md', ref: repository.first },
      });
      const none = await assembler.assemble({
        ...options,
        run: 'run-3',
        memorySnapshot: null,
      });
      expect((none.bundle.spec as any).parts.map((p: any) => p.kind)).toEqual([
        'prompt',
      ]);
    });
  },
);

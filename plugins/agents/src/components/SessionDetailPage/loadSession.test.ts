import { AgentsObject } from '@krate/plugin-agents-common';
import { attemptFixture, runFixture } from '../../__testUtils__/fixtures';
import { sessionFixture } from '../../__testUtils__/sessionFixtures';
import { AgentsApi } from '../../api';
import { loadSession } from './loadSession';

/**
 * Runtime session sess-1 began in run-1 (attempt run-1-1) and went on in run-2, a run dispatched
 * to continue it (attempt run-2-1, a continue). run-3 is another session of the same stack.
 */
function fakeApi(): AgentsApi {
  const run1 = runFixture('run-1', { status: { phase: 'Succeeded' } });
  const run2 = runFixture('run-2', {
    spec: { continuesSession: 'run-1-1-session' },
    status: { phase: 'Succeeded', session: 'sess-1' },
  });
  run2.metadata.creationTimestamp = '2026-01-02T10:00:00.000Z';
  run2.metadata.labels = { 'agents.krate.dev/runtime-session': 'sess-1' };
  const records = [
    sessionFixture('run-1-1'),
    sessionFixture('run-2-1', { created: '2026-01-02T10:00:00.000Z' }),
    sessionFixture('run-3-1', {
      status: { state: 'idle', sessionId: 'other' },
    }),
  ];
  const attempts = [
    attemptFixture('run-2-1', 'run-2', {
      spec: { kind: 'continue', sessionId: 'sess-1', prompt: 'Go on' },
      status: { phase: 'Succeeded', sessionId: 'sess-1' },
    }),
    attemptFixture('run-1-1', 'run-1', {
      status: { phase: 'Succeeded', sessionId: 'sess-1' },
    }),
  ];
  const runs = [run1, run2];
  const byRunLabel = (items: AgentsObject[], selector?: string) =>
    items.filter(
      item =>
        `agents.krate.dev/run=${item.metadata.labels?.['agents.krate.dev/run']}` ===
        selector,
    );
  return {
    getResource: async (_plural: string, _namespace: string, name: string) =>
      records.find(r => r.metadata.name === name) as unknown as AgentsObject,
    listResources: async (
      plural: string,
      options?: { labelSelector?: string },
    ) => {
      const items = {
        agentsessions: byRunLabel(
          records as unknown as AgentsObject[],
          options?.labelSelector,
        ),
        agentdispatchattempts: byRunLabel(
          attempts.map(a => ({
            ...a,
            metadata: {
              ...a.metadata,
              labels: { 'agents.krate.dev/run': a.spec.run },
            },
          })) as unknown as AgentsObject[],
          options?.labelSelector,
        ),
        agentdispatchruns: runs.filter(
          run =>
            options?.labelSelector ===
            `agents.krate.dev/runtime-session=${run.metadata.labels?.['agents.krate.dev/runtime-session']}`,
        ),
        workitemsessionlinks: [],
      }[plural] as AgentsObject[];
      return { items, metadata: { resourceVersion: '1' } };
    },
    getRun: async (name: string) => runs.find(r => r.metadata.name === name)!,
  } as unknown as AgentsApi;
}

describe('loadSession', () => {
  it.each(['run-1-1-session', 'run-2-1-session'])(
    'reads a session that went on in a second run from either run (%s)',
    async name => {
      const view = await loadSession(fakeApi(), 'acme', name);
      expect(view.runs.map(r => r.metadata.name)).toEqual(['run-1', 'run-2']);
      expect(view.attempts.map(a => a.metadata.name)).toEqual([
        'run-1-1',
        'run-2-1',
      ]);
      expect(view.records.map(r => r.metadata.name)).toEqual([
        'run-1-1-session',
        'run-2-1-session',
      ]);
    },
  );
});

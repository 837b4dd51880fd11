import { sessionFixture } from '../__testUtils__/sessionFixtures';
import { groupSessions } from './sessionGroups';

describe('groupSessions', () => {
  it('makes one session of the records sharing a runtime session id, named by the oldest', () => {
    const groups = groupSessions([
      sessionFixture('run-a-2', {
        created: '2026-01-01T10:05:00.000Z',
        status: { state: 'active', sessionId: 'sess-1' },
      }),
      sessionFixture('run-b-1', {
        created: '2026-01-01T10:03:00.000Z',
        status: { state: 'idle', sessionId: 'sess-2' },
      }),
      sessionFixture('run-a-1', {
        created: '2026-01-01T10:00:00.000Z',
        status: { state: 'idle', sessionId: 'sess-1' },
      }),
    ]);
    expect(
      groups.map(g => ({
        name: g.name,
        state: g.state,
        runs: g.runs,
        records: g.records.length,
        lastActivity: g.lastActivity,
      })),
    ).toEqual([
      {
        name: 'run-a-1-session',
        state: 'active',
        runs: ['run-a'],
        records: 2,
        lastActivity: '2026-01-01T10:05:00.000Z',
      },
      {
        name: 'run-b-1-session',
        state: 'idle',
        runs: ['run-b'],
        records: 1,
        lastActivity: '2026-01-01T10:03:00.000Z',
      },
    ]);
  });

  it('keeps records without a runtime session apart, and the same id in two orgs apart', () => {
    const groups = groupSessions([
      sessionFixture('run-c-1', {
        status: { state: 'binding-pending', sessionId: undefined },
      }),
      sessionFixture('run-d-1', {
        status: { state: 'binding-pending', sessionId: undefined },
      }),
      sessionFixture('run-e-1', { namespace: 'globex' }),
      sessionFixture('run-f-1'),
    ]);
    expect(groups.map(g => g.name).sort()).toEqual([
      'run-c-1-session',
      'run-d-1-session',
      'run-e-1-session',
      'run-f-1-session',
    ]);
  });
});

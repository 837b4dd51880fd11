import { mockServices } from '@backstage/backend-test-utils';
import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  BudgetState,
} from '@krate/plugin-agents-common';
import { AgentAttemptStop, LaunchProfile } from '@krate/plugin-agents-node';
import { AttemptHost } from '../dispatch/AttemptHost';
import { DispatchParts } from '../dispatch/DispatchParts';
import { Redactor } from '../dispatch/Redactor';
import { RunEventLog } from '../database/RunEventLog';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { BudgetPolicy } from './BudgetPolicy';
import { ModelPrices } from './ModelPrices';
import { AttemptSpend } from './SpendLedger';

const databases = createTestDatabases();

const profile: LaunchProfile = {
  stack: 'spender',
  runtime: 'scripted',
  approvalMode: 'never',
  allowSelfApproval: false,
  mcpServers: [],
  skills: [],
  subagents: [],
  defaultContextLabels: [],
};

const reached: BudgetState = {
  namespace: 'acme',
  name: 'daily',
  scope: { kind: 'stack', name: 'spender' },
  window: '24h',
  windowStart: new Date().toISOString(),
  limits: { usd: 1 },
  spent: { usd: 2, inputTokens: 10, outputTokens: 5, tokens: 15 },
  remaining: { usd: 0 },
  exceeded: true,
  onExceed: 'refuse',
  hardCap: true,
};

describe('a hard cap', () => {
  it('is checked before the next action: a slow ledger write still stops the step after the cost', async () => {
    const { store, db } = await createTestStore(databases, 'SQLITE_3');
    const run = (await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentDispatchRun',
        metadata: { name: 'r', namespace: 'acme' },
        spec: { stack: 'spender', prompt: 'p' },
        status: { phase: 'Running' },
      },
      { actor: 'test' },
    )) as AgentDispatchRun;
    const attempt = (await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentDispatchAttempt',
        metadata: { name: 'r-1', namespace: 'acme' },
        spec: { run: 'r', kind: 'initial', stack: 'spender', runtime: 'x' },
        status: { phase: 'Running' },
      },
      { actor: 'test' },
    )) as AgentDispatchAttempt;
    const recorded: AttemptSpend[] = [];
    const budgets = {
      prices: new ModelPrices(),
      ledger: {
        record: async (spend: AttemptSpend) => {
          await new Promise(resolve => setTimeout(resolve, 300));
          recorded.push(spend);
        },
      },
      capReached: async () => (recorded.length > 0 ? reached : undefined),
    } as unknown as BudgetPolicy;
    const abort = new AbortController();
    const stops: string[] = [];
    const host = new AttemptHost({
      parts: {
        store,
        events: new RunEventLog(db.knex),
        logger: mockServices.logger.mock(),
        redactor: new Redactor([]),
        budgets,
      } as unknown as DispatchParts,
      attempt,
      run,
      profile,
      nextSeq: 1,
      signal: abort.signal,
      onBudgetExceeded: message => {
        stops.push(message);
        abort.abort(new AgentAttemptStop('cancel'));
      },
    });

    host.emit({ type: 'cost', usd: 2, inputTokens: 10, outputTokens: 5 });
    await expect(
      host.authorize({ actionClass: 'shell', target: 'touch x' }),
    ).rejects.toBeInstanceOf(AgentAttemptStop);

    expect(stops).toEqual([
      'AgentBudget acme/daily (stack spender, 24h) has spent $2.00 of $1.00',
    ]);
    expect(recorded).toEqual([
      expect.objectContaining({
        attempt: 'r-1',
        run: 'r',
        stack: 'spender',
        usd: 2,
        inputTokens: 10,
        outputTokens: 5,
      }),
    ]);
    await host.settle();
  });
});

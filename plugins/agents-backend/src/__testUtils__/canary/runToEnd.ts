import { until } from '../until';
import { RecordingClient } from './RecordingClient';

const API = '/api/agents';

/**
 * Starts a run of `stack` in `acme`; when `approver` (request headers) is given, approves the
 * run's first approval as them. Answers the run's name and its phase once it ended.
 */
export async function runToEnd(
  api: RecordingClient,
  stack: string,
  approver?: Record<string, string>,
): Promise<{ name: string; phase: string }> {
  const started = await api.post(`${API}/runs`, {
    namespace: 'acme',
    stack,
    prompt: 'Log in to the sandbox',
  });
  expect(started.status).toBe(201);
  const name: string = started.body.metadata.name;
  if (approver) {
    const approval = await until(
      async () => (await api.get(`${API}/approvals?namespace=acme`)).body.items,
      items => items.some((a: any) => a.spec.run === name),
      30_000,
    ).then(items => items.find((a: any) => a.spec.run === name));
    const decided = await api.post(
      `${API}/approvals/${approval.metadata.name}/decision`,
      { decision: 'approve' },
      approver,
    );
    expect(decided.status).toBe(200);
  }
  const ended = await until(
    async () => (await api.get(`${API}/runs/${name}`)).body,
    run => ['Succeeded', 'Failed'].includes(run.status?.phase),
    60_000,
  );
  return { name, phase: ended.status.phase };
}

import { agentKinds } from '@krate/plugin-agents-common';
import { RecordingClient } from './RecordingClient';

const API = '/api/agents';
const RESOURCES = `${API}/apis/agents.krate.dev/v1alpha1/namespaces/acme`;

/**
 * Reads everything a user can read about `runs` and the `acme` namespace, so the client records
 * it for the leak check. Answers each run's events (as sent) and every resource listed, by kind.
 */
export async function readEverything(
  api: RecordingClient,
  runs: string[],
): Promise<{
  events: Record<string, string>;
  listed: Record<string, any[]>;
}> {
  const events: Record<string, string> = {};
  for (const run of runs) {
    await api.get(`${API}/runs/${run}`);
    events[run] = (await api.get(`${API}/runs/${run}/events`)).text;
    await api.get(`${API}/runs/${run}/actions`);
    await api.get(`${API}/runs/acme/${run}/memory`);
    const artifacts = await api.get(
      `${API}/artifacts?run=${run}&namespace=acme`,
    );
    for (const artifact of artifacts.body.items ?? []) {
      const at = `${API}/artifacts/${artifact.metadata.name}`;
      await api.get(`${at}/content?namespace=acme`);
      await api.get(`${at}/targets?namespace=acme`);
      await api.get(`${at}/write-backs?namespace=acme`);
    }
  }
  const listed: Record<string, any[]> = {};
  for (const kind of agentKinds) {
    const list = await api.get(`${RESOURCES}/${kind.plural}`);
    expect(list.status).toBe(200);
    listed[kind.kind] = list.body.items;
    for (const object of list.body.items) {
      await api.get(
        `${API}/audit?kind=${kind.kind}&namespace=acme&name=${object.metadata.name}&limit=500`,
      );
    }
  }
  for (const url of [
    '/search/documents?limit=500',
    '/secrets/inventory?namespace=acme',
    '/permissions/overview?namespace=acme',
    '/identities/overview?namespace=acme',
    '/stacks?namespace=acme',
    '/secrets?namespace=acme',
    '/workspaces',
    '/deliveries',
    '/capabilities',
    '/audit/verify?org=acme',
  ]) {
    expect((await api.get(`${API}${url}`)).status).toBeLessThan(500);
  }
  return { events, listed };
}

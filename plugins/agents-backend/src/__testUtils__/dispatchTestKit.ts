import path from 'node:path';
import request from 'supertest';

/** The `agents` config of a test backend that dispatches into `dataDir`. */
export function dispatchConfig(dataDir: string, extra: object = {}) {
  return {
    dispatch: {
      runsRoot: path.join(dataDir, 'runs'),
      pollIntervalMs: 50,
      leaseDurationSeconds: 1,
    },
    workspaces: { root: path.join(dataDir, 'workspaces') },
    ...extra,
  };
}

/** Applies each object through `POST /apply`, expecting it to be taken. */
export async function applyObjects(server: any, ...objects: object[]) {
  for (const object of objects) {
    const response = await request(server)
      .post('/api/agents/apply')
      .send(object);
    expect(response.status).toBe(200);
  }
}

/** A tool profile that holds every shell command for a human. */
export const gatedShellProfile = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentToolProfile',
  metadata: { name: 'gated', namespace: 'acme' },
  spec: { approvalRequired: ['shell'] },
};

export const isFinished = (run: any) =>
  ['Succeeded', 'Failed', 'Cancelled'].includes(run.status?.phase);

/**
 * Reads the run until `done` says so; fails after `timeoutMs` with the run's status and its
 * event log, so a stuck run says where it stopped.
 */
export async function waitForRun(
  server: any,
  name: string,
  done: (run: any) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(server).get(`/api/agents/runs/${name}`);
    if (done(response.body)) {
      return response.body;
    }
    if (Date.now() > deadline) {
      const log = await request(server).get(`/api/agents/runs/${name}/events`);
      throw new Error(
        `Run ${name} is ${JSON.stringify(
          response.body.status,
        )}; events: ${JSON.stringify(
          log.body.items?.map((e: any) => [
            e.type,
            e.reason ?? e.text ?? e.phase,
          ]),
        )}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

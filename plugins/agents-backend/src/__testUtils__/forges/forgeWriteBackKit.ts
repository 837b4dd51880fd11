import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import {
  WriteBackOperation,
  WriteBackResult,
} from '@krate/plugin-agents-common';
import {
  WriteBackRepository,
  WriteBackRequest,
} from '@krate/plugin-agents-node';

const execFileAsync = promisify(execFile);

/**
 * A `pushBranch` that does what the controller's does: `git push` of `cwd`'s HEAD to `branch` of
 * `remote`, over HTTP with `authorization` (asynchronously: the forge double answering the push
 * runs in this same process). `pushes` lists the branches pushed.
 */
export function gitPushBranch(options: {
  cwd: string;
  remote: string;
  authorization: string;
}) {
  const pushes: string[] = [];
  const pushBranch = async (branch: string): Promise<WriteBackResult> => {
    const run = async (...args: string[]) =>
      (
        await execFileAsync('git', args, {
          cwd: options.cwd,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        })
      ).stdout.trim();
    await run(
      '-c',
      `http.extraHeader=Authorization: ${options.authorization}`,
      'push',
      '-q',
      options.remote,
      `HEAD:refs/heads/${branch}`,
    );
    pushes.push(branch);
    return {
      target: 'git',
      operation: 'branch',
      ref: await run('rev-parse', 'HEAD'),
      remote: options.remote,
    };
  };
  return { pushBranch, pushes };
}

/** `Basic base64(user:secret)`. */
export function basicAuthorization(user: string, secret: string) {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** A write-back request as the controller hands it to a target; `key` decides the marker. */
export function forgeWriteBackRequest(fields: {
  repository: WriteBackRepository;
  operation: WriteBackOperation;
  key?: string;
  pushBranch?: (branch: string) => Promise<WriteBackResult>;
  signal?: AbortSignal;
}): WriteBackRequest {
  const key = fields.key ?? `run-1:sha256:abc:${fields.operation.operation}`;
  return {
    key,
    marker: `<!-- krate-agents write-back ${key} -->`,
    repository: fields.repository,
    operation: fields.operation,
    artifact: {
      name: 'fix-flaky-test',
      kind: 'AgentReviewArtifact',
      digest: 'sha256:abc',
      title: 'Fix the flaky payment test',
      run: 'run-1',
    },
    pushBranch:
      fields.pushBranch ??
      (async () => {
        throw new Error('this write-back should not push');
      }),
    signal: fields.signal ?? new AbortController().signal,
    logger: mockServices.logger.mock(),
  };
}

import { inspect } from 'node:util';
import { Config, ConfigReader } from '@backstage/config';
import { WriteBackOperation } from '@krate/plugin-agents-common';
import {
  AgentWriteBackTarget,
  WriteBackError,
  WriteBackRepository,
} from '@krate/plugin-agents-node';
import { commit, git, gitSandbox } from '../../../../__testUtils__/gitFixtures';
import { ForgeFaults } from '../../../../__testUtils__/forges/ForgeFaults';
import { ForgeRepositories } from '../../../../__testUtils__/forges/ForgeRepositories';
import { RecordedRequest } from '../../../../__testUtils__/forges/forgeServer';
import {
  forgeWriteBackRequest,
  gitPushBranch,
} from '../../../../__testUtils__/forges/forgeWriteBackKit';

export const REPO = 'acme/payments-api';
export const BRANCH = 'agents/fix-flaky-test';

/** What the write-back target tests use of a forge double. */
export interface ForgeDouble {
  readonly repositories: ForgeRepositories;
  readonly faults: ForgeFaults;
  readonly origin: string;
  readonly integration: Record<string, string>;
  remote(fullName: string): string;
  requestsTo(method: string, apiPath: string | RegExp): RecordedRequest[];
  close(): Promise<void>;
}

/** How a forge and its write-back target name things. */
export interface ForgeNames {
  /** The target's id, which is also its key in `integrations`. */
  target: string;
  /** The forge's name in messages. */
  name: string;
  /** Where the double serves the REST API. */
  apiPrefix: string;
  /** The path of a pull request's web page below the repository's: `pull` or `pulls`. */
  pullPath: string;
}

/** The forge a write-back target is tested against. */
export interface ForgeUnderTest<Double extends ForgeDouble> extends ForgeNames {
  start: () => Promise<Double>;
  /** The `Authorization` header git pushes to the double with. */
  pushAuthorization: (forge: Double) => string;
  /** The target, made from a root config that holds only `integrations`. */
  fromConfig: (config: Config) => AgentWriteBackTarget;
}

export type ForgeTargetTestKit<Double extends ForgeDouble = ForgeDouble> =
  ReturnType<typeof forgeTargetTestKit<Double>>;

/**
 * Before each test: a forge double holding {@link REPO}, a sandbox clone of it on {@link BRANCH}
 * with one commit more than `main`, and a `pushBranch` that pushes that clone. After each test,
 * all of it is gone.
 */
export function forgeTargetTestKit<Double extends ForgeDouble>(
  under: ForgeUnderTest<Double>,
) {
  let forge: Double;
  let sandbox: ReturnType<typeof gitSandbox>;
  let repository: WriteBackRepository;
  let push: ReturnType<typeof gitPushBranch>;

  beforeEach(async () => {
    forge = await under.start();
    sandbox = gitSandbox();
    forge.repositories.add(REPO, { source: sandbox.repo });
    git(sandbox.repo, 'checkout', '-q', '-b', BRANCH);
    commit(sandbox.repo, 'src/payment.test.ts', 'retry the assertion\n');
    repository = { name: REPO, url: forge.remote(REPO) };
    push = gitPushBranch({
      cwd: sandbox.repo,
      remote: forge.remote(REPO),
      authorization: under.pushAuthorization(forge),
    });
  });

  afterEach(async () => {
    await forge.close();
    sandbox.cleanup();
  });

  const request = (operation: WriteBackOperation) =>
    forgeWriteBackRequest({
      repository,
      operation,
      key: `run-1:sha256:abc:${under.target}:${operation.operation}`,
      pushBranch: push.pushBranch,
    });

  const names: ForgeNames = under;
  return {
    names,
    get forge() {
      return forge;
    },
    get sandbox() {
      return sandbox;
    },
    get repository() {
      return repository;
    },
    get push() {
      return push;
    },
    /** The target, configured with `entries` (by default the double's) for its forge. */
    targetFor: (entries: Record<string, string>[] = [forge.integration]) =>
      under.fromConfig(
        new ConfigReader({ integrations: { [under.target]: entries } }),
      ),
    request,
    pullRequest: (fields: Partial<WriteBackOperation> = {}) =>
      request({
        operation: 'pull-request',
        branch: BRANCH,
        body: 'Retries the flaky assertion.',
        ...fields,
      }),
  };
}

/** The `WriteBackError` `promise` rejects with. */
export async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(WriteBackError);
  return error as WriteBackError;
}

/** Neither the message nor anything `error` holds shows `secret`. */
export function assertNoSecret(error: WriteBackError, secret: string) {
  expect(error.message).not.toContain(secret);
  expect(inspect(error, { depth: 8 })).not.toContain(secret);
}

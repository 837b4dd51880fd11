import { InputError } from '@backstage/errors';
import {
  AgentDispatchRun,
  DISPATCH_RUN_FIELDS,
  DispatchRunRequest,
  DNS_LABEL_PATTERN,
  parseAgentsRepositoryRef,
} from '@krate/plugin-agents-common';
import { parseMemorySelection } from '../memory/context/parseMemorySelection';

/** The body of `POST /api/agents/runs`, plus what started the run. */
export interface DispatchRequest extends DispatchRunRequest {
  source?: AgentDispatchRun['spec']['source'];
}

const FIELDS = new Set<string>(DISPATCH_RUN_FIELDS);
const NAME = new RegExp(DNS_LABEL_PATTERN);
const MAX_PROMPT = 65536;
/** What git accepts in a ref name, minus the characters that have meaning on a command line. */
// eslint-disable-next-line no-control-regex
const GIT_REF = /^(?!-)(?!.*\.\.)(?!.*@\{)[^\s~^:?*[\\\x00-\x1f\x7f]{1,255}$/;

function name(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 63 || !NAME.test(value)) {
    throw new InputError(
      `${field}: must be a lower-case DNS label (a-z, 0-9 and '-', at most 63 characters)`,
    );
  }
  return value;
}

/** Checks the body field by field; throws InputError naming the first bad field. */
export function parseDispatchRequest(body: unknown): DispatchRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('body: must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) {
      throw new InputError(`${key}: unknown field`);
    }
  }
  const request: DispatchRequest = {
    namespace: name(input.namespace, 'namespace'),
    stack: name(input.stack, 'stack'),
    prompt: '',
  };
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    throw new InputError('prompt: must be a non-empty string');
  }
  if (input.prompt.length > MAX_PROMPT) {
    throw new InputError(`prompt: must be at most ${MAX_PROMPT} characters`);
  }
  request.prompt = input.prompt;
  if (input.repository !== undefined) {
    if (
      typeof input.repository !== 'string' ||
      !parseAgentsRepositoryRef(input.repository)
    ) {
      throw new InputError('repository: must be <org>/<repository>');
    }
    request.repository = input.repository;
  }
  if (input.ref !== undefined) {
    if (typeof input.ref !== 'string' || !GIT_REF.test(input.ref)) {
      throw new InputError('ref: must be a branch, tag or commit name');
    }
    request.ref = input.ref;
  }
  if (input.contextLabels !== undefined) {
    if (
      !Array.isArray(input.contextLabels) ||
      input.contextLabels.length > 50
    ) {
      throw new InputError(
        'contextLabels: must be an array of at most 50 names',
      );
    }
    request.contextLabels = input.contextLabels.map((label, index) =>
      name(label, `contextLabels[${index}]`),
    );
  }
  if (input.workspace !== undefined) {
    request.workspace = name(input.workspace, 'workspace');
  }
  if (input.workItem !== undefined) {
    request.workItem = name(input.workItem, 'workItem');
  }
  if (input.memory !== undefined) {
    request.memory = parseMemorySelection(input.memory, 'memory.');
  }
  if (input.session !== undefined) {
    request.session = name(input.session, 'session');
  }
  return request;
}

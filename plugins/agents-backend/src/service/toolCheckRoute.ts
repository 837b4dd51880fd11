import { InputError } from '@backstage/errors';
import {
  AgentToolProfile,
  ToolCheckRequest,
  ToolCheckResult,
} from '@krate/plugin-agents-common';
import { AgentActionRequest, LaunchProfile } from '@krate/plugin-agents-node';
import Router from 'express-promise-router';
import { decideAction } from '../dispatch/ActionPolicy';
import { ResourceService } from './ResourceService';

export interface ToolCheckRouteOptions {
  service: ResourceService;
}

const FIELDS = new Set([
  'namespace',
  'profile',
  'command',
  'path',
  'write',
  'host',
]);
const SUBJECTS = ['command', 'path', 'host'] as const;

function requiredString(input: Record<string, unknown>, field: string) {
  const value = input[field];
  if (value === undefined) throw new InputError(`${field}: is required`);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  return value;
}

/** Checks the body field by field; throws InputError naming the first bad field. */
export function parseToolCheckRequest(body: unknown): ToolCheckRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('body: must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) throw new InputError(`${key}: unknown field`);
  }
  const request: ToolCheckRequest = {
    namespace: requiredString(input, 'namespace'),
    profile: requiredString(input, 'profile'),
  };
  const given = SUBJECTS.filter(field => input[field] !== undefined);
  if (given.length !== 1) {
    throw new InputError(
      `${SUBJECTS.join(', ')}: give exactly one of them${
        given.length ? `, not ${given.join(' and ')}` : ''
      }`,
    );
  }
  request[given[0]] = requiredString(input, given[0]);
  if (input.write !== undefined) {
    if (typeof input.write !== 'boolean') {
      throw new InputError('write: must be a boolean');
    }
    if (given[0] !== 'path') {
      throw new InputError('write: applies to a path check only');
    }
    request.write = input.write;
  }
  return request;
}

/**
 * The action a runtime would ask for: commands run through the shell tool and paths through the
 * file tools, as the CLI runtimes report them, so the answer is the one a run would get.
 */
function actionOf(request: ToolCheckRequest): AgentActionRequest {
  if (request.command !== undefined) {
    return { actionClass: 'shell', toolName: 'Bash', target: request.command };
  }
  if (request.path !== undefined) {
    return {
      actionClass: 'tool',
      toolName: request.write ? 'Write' : 'Read',
      target: request.path,
    };
  }
  return { actionClass: 'network', target: request.host! };
}

/** A launch profile holding only the tool profile, deciding by policy as most stacks do. */
function profileOf(toolProfile: AgentToolProfile): LaunchProfile {
  return {
    stack: '',
    runtime: '',
    approvalMode: 'policy',
    allowSelfApproval: false,
    toolProfile: { name: toolProfile.metadata.name, spec: toolProfile.spec },
    mcpServers: [],
    skills: [],
    subagents: [],
    defaultContextLabels: [],
  };
}

/** `POST /tools/check`: whether one AgentToolProfile allows, denies or gates an action. */
export function createToolCheckRoute({ service }: ToolCheckRouteOptions) {
  const router = Router();

  router.post('/tools/check', async (req, res) => {
    const request = parseToolCheckRequest(req.body);
    const toolProfile = (await service.get(
      req,
      'AgentToolProfile',
      request.namespace,
      request.profile,
    )) as AgentToolProfile;
    const result: ToolCheckResult = decideAction(
      profileOf(toolProfile),
      actionOf(request),
    );
    res.json(result);
  });

  return router;
}

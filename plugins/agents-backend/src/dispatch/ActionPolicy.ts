import { AgentActionRequest, LaunchProfile } from '@krate/plugin-agents-node';
import { minimatch } from 'minimatch';
import { posix } from 'node:path';

/** What policy says about an action before any human is asked. */
export interface PolicyVerdict {
  verdict: 'allow' | 'deny' | 'human';
  reason: string;
  /** The object that decided, e.g. `AgentToolProfile/payments-safe` or `AgentStack/triage`. */
  policySource: string;
}

const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const FILE_TOOLS = new Set(['Read', ...WRITE_TOOLS]);

function matchesAny(value: string, patterns: string[] | undefined) {
  return (patterns ?? []).some(pattern =>
    minimatch(value, pattern, { dot: true, nocomment: true }),
  );
}

/** Command patterns are plain globs over the whole command line: `*` spans slashes too. */
function commandMatchesAny(command: string, patterns: string[] | undefined) {
  return (patterns ?? []).some(pattern => {
    const source = pattern
      .split('*')
      .map(part =>
        part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\?/g, '.'),
      )
      .join('.*');
    return new RegExp(`^${source}$`, 's').test(command.trim());
  });
}

/** Whether a workspace-relative path lies in a root (`.` is the whole workspace). */
function isUnder(target: string, root: string) {
  const path = posix.normalize(target);
  if (posix.isAbsolute(path) || path === '..' || path.startsWith('../')) {
    return false;
  }
  const base = posix.normalize(root).replace(/\/$/, '');
  return base === '.' || path === base || path.startsWith(`${base}/`);
}

function hostMatches(host: string, patterns: string[] | undefined) {
  return (patterns ?? []).some(pattern =>
    pattern.startsWith('*.')
      ? host.endsWith(pattern.slice(1)) || host === pattern.slice(2)
      : host === pattern,
  );
}

/**
 * Decides a runtime's action from the stack's launch profile: the tool profile's allow/deny
 * lists and filesystem/network policy first (a denial never reaches a human), then whether the
 * action class waits for a human under the stack's approval mode.
 */
export function decideAction(
  profile: LaunchProfile,
  request: AgentActionRequest,
): PolicyVerdict {
  const tools = profile.toolProfile?.spec ?? {};
  const toolSource = profile.toolProfile
    ? `AgentToolProfile/${profile.toolProfile.name}`
    : `AgentStack/${profile.stack}`;
  const deny = (reason: string): PolicyVerdict => ({
    verdict: 'deny',
    reason,
    policySource: toolSource,
  });
  const { toolName, target, actionClass } = request;

  if (toolName) {
    if (matchesAny(toolName, tools.deniedTools)) {
      return deny(`${toolSource} denies the tool ${toolName}`);
    }
    if (
      tools.allowedTools?.length &&
      !matchesAny(toolName, tools.allowedTools)
    ) {
      return deny(`${toolSource} does not allow the tool ${toolName}`);
    }
  }
  if (actionClass === 'shell') {
    if (commandMatchesAny(target, tools.shell?.denyCommands)) {
      return deny(`${toolSource} denies the command "${target}"`);
    }
    const allowed = tools.shell?.allowCommands;
    if (allowed?.length && !commandMatchesAny(target, allowed)) {
      return deny(
        `${toolSource} allows only commands matching ${allowed.join(', ')}`,
      );
    }
  }
  if (toolName && FILE_TOOLS.has(toolName)) {
    if (matchesAny(target, tools.filesystem?.deniedPaths)) {
      return deny(`${toolSource} denies access to ${target}`);
    }
    const roots: string[] | undefined = WRITE_TOOLS.has(toolName)
      ? tools.filesystem?.writeRoots
      : tools.filesystem?.readRoots;
    if (roots?.length && !roots.some(root => isUnder(target, root))) {
      return deny(
        `${toolSource} allows ${toolName} only under ${roots.join(', ')}`,
      );
    }
  }
  if (actionClass === 'network') {
    const mode = tools.network?.mode ?? 'open';
    if (mode === 'none') {
      return deny(`${toolSource} allows no network access`);
    }
    if (
      mode === 'allow-list' &&
      !hostMatches(target, tools.network?.allowedHosts)
    ) {
      return deny(`${toolSource} does not allow the host ${target}`);
    }
  }

  const stackSource = `AgentStack/${profile.stack}`;
  if (profile.approvalMode === 'never') {
    return {
      verdict: 'allow',
      reason: `${stackSource} never asks for approval`,
      policySource: stackSource,
    };
  }
  if (profile.approvalMode === 'always') {
    return {
      verdict: 'human',
      reason: `${stackSource} requires approval for every privileged action`,
      policySource: stackSource,
    };
  }
  if ((tools.approvalRequired ?? []).includes(actionClass)) {
    return {
      verdict: 'human',
      reason: `${toolSource} requires approval for ${actionClass} actions`,
      policySource: toolSource,
    };
  }
  if (
    actionClass === 'write-back' &&
    profile.writeBackPolicy?.requireApproval
  ) {
    return {
      verdict: 'human',
      reason: `${stackSource} requires approval for write-back`,
      policySource: stackSource,
    };
  }
  return {
    verdict: 'allow',
    reason: `${toolSource} allows it`,
    policySource: toolSource,
  };
}

import { AgentStack } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import { NamespaceReader } from '../NamespaceReader';
import { StackProblem } from './stackConditions';

/** A stack's subagent with the objects it refers to itself. */
export interface SubagentReferences {
  object: StoredResource;
  toolProfile?: StoredResource;
  skills: StoredResource[];
}

/** The objects a stack refers to that exist, and problems for those that do not. */
export interface StackReferences {
  toolProfile?: StoredResource;
  mcpServers: StoredResource[];
  skills: StoredResource[];
  subagents: SubagentReferences[];
  runtimeServiceAccount?: StoredResource;
  runnerServiceAccount?: StoredResource;
  workspacePolicy?: StoredResource;
  contextLabels: StoredResource[];
  problems: StackProblem[];
}

interface Missing {
  kind: string;
  name: string;
  /** Where the reference is, e.g. `spec.skills[1]` or `AgentSubagent/reviewer spec.toolProfile`. */
  field: string;
  /** Position of the reference in the stack, so messages list them in a stable order. */
  order: number;
}

/** Reads every object a stack names, in its namespace. */
export async function collectReferences(
  stack: AgentStack,
  reader: NamespaceReader,
): Promise<StackReferences> {
  const { spec } = stack;
  const missing: Missing[] = [];
  const missingAccounts: Missing[] = [];
  let references = 0;
  const read = async (
    kind: string,
    name: string | undefined,
    field: string,
    into: Missing[] = missing,
  ) => {
    const order = references++;
    if (name === undefined) return undefined;
    const object = await reader.get(kind, name);
    if (!object) into.push({ kind, name, field, order });
    return object;
  };
  const readAll = async (kind: string, names: string[], field: string) =>
    (
      await Promise.all(
        names.map((name, i) => read(kind, name, `${field}[${i}]`)),
      )
    ).filter((o): o is StoredResource => o !== undefined);

  const [
    toolProfile,
    mcpServers,
    skills,
    subagentObjects,
    runtimeServiceAccount,
    runnerServiceAccount,
    workspacePolicy,
    contextLabels,
  ] = await Promise.all([
    read('AgentToolProfile', spec.toolProfile, 'spec.toolProfile'),
    readAll('AgentMcpServer', spec.mcpServers ?? [], 'spec.mcpServers'),
    readAll('AgentSkill', spec.skills ?? [], 'spec.skills'),
    readAll('AgentSubagent', spec.subagents ?? [], 'spec.subagents'),
    read(
      'AgentServiceAccount',
      spec.runtimeServiceAccountName,
      'spec.runtimeServiceAccountName',
      missingAccounts,
    ),
    read(
      'AgentServiceAccount',
      spec.runnerPolicy?.serviceAccountName,
      'spec.runnerPolicy.serviceAccountName',
      missingAccounts,
    ),
    read('AgentWorkspacePolicy', spec.workspacePolicy, 'spec.workspacePolicy'),
    readAll(
      'AgentContextLabel',
      spec.defaultContextLabels ?? [],
      'spec.defaultContextLabels',
    ),
  ]);

  const subagents = await Promise.all(
    subagentObjects.map(async object => {
      const own = `AgentSubagent/${object.metadata.name} spec`;
      const [subTools, subSkills] = await Promise.all([
        read(
          'AgentToolProfile',
          object.spec.toolProfile as string | undefined,
          `${own}.toolProfile`,
        ),
        readAll(
          'AgentSkill',
          (object.spec.skills as string[] | undefined) ?? [],
          `${own}.skills`,
        ),
      ]);
      return { object, toolProfile: subTools, skills: subSkills };
    }),
  );

  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const describe = (items: Missing[]) =>
    [...items]
      .sort((a, b) => a.order - b.order)
      .map(m => `${m.kind}/${m.name} (${m.field})`)
      .join(', ');
  const problems: StackProblem[] = [];
  if (missing.length) {
    problems.push({
      severity: 'Invalid',
      reason: 'MissingReference',
      message: `${ref} refers to objects that do not exist in namespace ${
        stack.metadata.namespace
      }: ${describe(missing)}. Create them or remove the references.`,
    });
  }
  if (missingAccounts.length) {
    problems.push({
      severity: 'Invalid',
      reason: 'MissingServiceAccount',
      message: `${ref} runs as service accounts that do not exist: ${describe(
        missingAccounts,
      )}. Create the AgentServiceAccount or name an existing one.`,
    });
  }
  for (const [account, field, purpose] of [
    [runtimeServiceAccount, 'spec.runtimeServiceAccountName', 'agent'],
    [runnerServiceAccount, 'spec.runnerPolicy.serviceAccountName', 'runner'],
  ] as const) {
    if (account && account.spec.purpose !== purpose) {
      problems.push({
        severity: 'Warning',
        reason: 'ServiceAccountPurposeMismatch',
        message: `${ref} names AgentServiceAccount/${account.metadata.name} in ${field}, but its purpose is ${account.spec.purpose}, not ${purpose}. Name an AgentServiceAccount with purpose ${purpose}.`,
      });
    }
  }

  return {
    toolProfile,
    mcpServers,
    skills,
    subagents,
    runtimeServiceAccount,
    runnerServiceAccount,
    workspacePolicy,
    contextLabels,
    problems,
  };
}

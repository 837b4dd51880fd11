import { AgentsResource } from '../../api';

/** A stack that uses an object, directly or through subagents. */
export interface StackUse {
  stack: string;
  direct: boolean;
  /** The stack's subagents that use it. */
  subagents: string[];
}

/** Which of an object's users a stack or subagent spec is. */
export type UsesObject = (spec: Record<string, unknown>) => boolean;

/** A spec field naming one object, e.g. `toolProfile`. */
export const namesIn =
  (field: string, name: string): UsesObject =>
  spec =>
    spec[field] === name;

/** A spec field listing objects, e.g. `skills`. */
export const listsIn =
  (field: string, name: string): UsesObject =>
  spec =>
    Array.isArray(spec[field]) && (spec[field] as unknown[]).includes(name);

/**
 * The stacks of an org that use an object: those whose spec names it and those with a subagent
 * whose spec does. Stacks and subagents are in the same org as the object they name.
 */
export function stacksUsing(
  stacks: AgentsResource[],
  subagents: AgentsResource[],
  uses: UsesObject,
): StackUse[] {
  const usingSubagents = new Set(
    subagents.filter(s => uses(s.spec)).map(s => s.metadata.name),
  );
  return stacks.flatMap(stack => {
    const direct = uses(stack.spec);
    const named = Array.isArray(stack.spec.subagents)
      ? (stack.spec.subagents as string[])
      : [];
    const through = named.filter(name => usingSubagents.has(name));
    return direct || through.length
      ? [{ stack: stack.metadata.name, direct, subagents: through }]
      : [];
  });
}

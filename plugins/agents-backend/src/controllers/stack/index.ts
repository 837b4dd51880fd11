export { StackController, STACK_CONTROLLER_ACTOR } from './StackController';
export type { StackControllerOptions } from './StackController';
export { StackResolver } from './StackResolver';
export type {
  ResolvedStack,
  ResolveOptions,
  StackResolverOptions,
} from './StackResolver';
export { RuntimeAvailability } from './RuntimeAvailability';
export type { StackReadiness } from './stackConditions';

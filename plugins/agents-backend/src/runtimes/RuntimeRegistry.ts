import {
  AgentRuntime,
  AgentsRuntimesExtensionPoint,
} from '@krate/plugin-agents-node';

/** The runtimes modules registered, by id; a second registration of an id is a wiring error. */
export class RuntimeRegistry implements AgentsRuntimesExtensionPoint {
  readonly #runtimes = new Map<string, AgentRuntime>();

  addRuntime(runtime: AgentRuntime): void {
    if (this.#runtimes.has(runtime.id)) {
      throw new Error(`Agent runtime '${runtime.id}' is already registered`);
    }
    this.#runtimes.set(runtime.id, runtime);
  }

  get(id: string): AgentRuntime | undefined {
    return this.#runtimes.get(id);
  }

  list(): AgentRuntime[] {
    return [...this.#runtimes.values()];
  }
}

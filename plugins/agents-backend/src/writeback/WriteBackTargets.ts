import {
  AgentsWriteBackExtensionPoint,
  AgentWriteBackTarget,
} from '@krate/plugin-agents-node';

/** The write-back targets registered, by id; a second registration of an id is a wiring error. */
export class WriteBackTargets implements AgentsWriteBackExtensionPoint {
  readonly #targets = new Map<string, AgentWriteBackTarget>();

  addTarget(target: AgentWriteBackTarget): void {
    if (this.#targets.has(target.id)) {
      throw new Error(`Write-back target '${target.id}' is already registered`);
    }
    this.#targets.set(target.id, target);
  }

  get(id: string): AgentWriteBackTarget | undefined {
    return this.#targets.get(id);
  }

  list(): AgentWriteBackTarget[] {
    return [...this.#targets.values()];
  }
}

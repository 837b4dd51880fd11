import {
  BackendFeature,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AgentWriteBackTarget,
  agentsWriteBackExtensionPoint,
} from '@krate/plugin-agents-node';

/**
 * The write-back targets `module` adds to an agents backend whose `integrations` config holds
 * `entries` (e.g. `{ github: [{ host, token }] }`).
 */
export async function registeredWriteBackTargets(
  module: BackendFeature,
  entries: Record<string, Record<string, string>[]>,
): Promise<AgentWriteBackTarget[]> {
  const targets: AgentWriteBackTarget[] = [];
  const agents = createBackendPlugin({
    pluginId: 'agents',
    register(env) {
      env.registerExtensionPoint(agentsWriteBackExtensionPoint, {
        addTarget: target => targets.push(target),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  await startTestBackend({
    features: [
      agents,
      module,
      mockServices.rootConfig.factory({ data: { integrations: entries } }),
    ],
  });
  return targets;
}

import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AgentsApiCaller } from './AgentsApiCaller';
import { registerApprovalActions } from './approvalActions';
import { registerMemoryActions } from './memoryActions';
import { registerRuleActions } from './ruleActions';
import { registerRunActions } from './runActions';
import { registerStackActions } from './stackActions';

/**
 * Registers the agents actions with Backstage's actions registry; the MCP actions backend serves
 * them as MCP tools once `backend.actions.pluginSources` lists `agents`. Each runs the HTTP route
 * it stands for as the caller.
 */
export function registerAgentsActions(
  registry: ActionsRegistryService,
  api: AgentsApiCaller,
) {
  registerStackActions(registry, api);
  registerRunActions(registry, api);
  registerApprovalActions(registry, api);
  registerRuleActions(registry, api);
  registerMemoryActions(registry, api);
}

import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';

/**
 * A `scaffolder` plugin that only collects the actions its modules add, so a test can run them
 * with a mock action context against the real backends of the same test backend.
 */
export function capturedActions() {
  const actions = new Map<string, TemplateAction<any, any>>();
  const plugin = createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions(...added) {
          for (const action of added) actions.set(action.id, action);
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return {
    plugin,
    get(id: string) {
      const action = actions.get(id);
      if (!action) throw new Error(`no action ${id} was added`);
      return action;
    },
  };
}

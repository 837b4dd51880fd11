/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';
import {
  agentsModuleAgentMuxRuntime,
  agentsModuleClaudeCodeRuntime,
  agentsModuleCodexRuntime,
  agentsModuleGiteaWriteBack,
  agentsModuleGithubWriteBack,
  agentsModuleScriptedRuntime,
} from '@krate/plugin-agents-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@krate/plugin-scaffolder-backend-module-agents'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// See https://backstage.io/docs/permissions/getting-started for how to create your own permission policy
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// The TechDocs collator indexes the docs sites already built: the embedded builder builds one
// when its Docs tab is first opened, so a fresh portal has none to index yet.
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
backend.add(import('@krate/plugin-search-backend-module-agents'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Krate Agents, with its runtimes: scripted (the embedded default); Agent Mux, Claude Code and
// Codex register only when configured (agents.runtimes.agentMux / claudeCode / codex).
backend.add(import('@krate/plugin-agents-backend'));
backend.add(agentsModuleScriptedRuntime);
backend.add(agentsModuleAgentMuxRuntime); // registers when agents.runtimes.agentMux.url is set
backend.add(agentsModuleClaudeCodeRuntime);
backend.add(agentsModuleCodexRuntime);
// Pull requests, comments and reviews on GitHub and Gitea, with the `integrations` config.
backend.add(agentsModuleGithubWriteBack);
backend.add(agentsModuleGiteaWriteBack);

backend.start();

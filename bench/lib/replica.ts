/*
 * One backend replica for the benchmarks that run several (dispatch --setups pg:2, chaos):
 * the agents plugin with the scripted runtime, the permission backend with the allow-all policy.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/lib/replica.ts <config.json>
 *
 * Tells its parent 'ready' over IPC once it serves.
 */
import { createBackend } from '@backstage/backend-defaults';
import { agentsModuleScriptedRuntime } from '../../plugins/agents-backend/src/runtimes/scripted';

async function main() {
  const configFile = process.argv[2];
  process.argv.splice(2, process.argv.length, '--config', configFile);
  const backend = createBackend();
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
  backend.add(import('@krate/plugin-agents-backend'));
  backend.add(agentsModuleScriptedRuntime);
  await backend.start();
  process.send?.('ready');
  process.on('SIGTERM', () => {
    Promise.race([backend.stop(), new Promise(r => setTimeout(r, 5_000))]).then(
      () => process.exit(0),
    );
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

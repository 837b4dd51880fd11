// A Backstage backend with the real catalog and Kubernetes plugins, started as its own Node
// process: @backstage/plugin-kubernetes-backend loads @kubernetes/client-node with a dynamic
// import(), which Jest's module runtime cannot run. Config comes from the --config arguments.
const { createBackend } = require('@backstage/backend-defaults');
const catalogPlugin = require('@backstage/plugin-catalog-backend');
const kubernetesPlugin = require('@backstage/plugin-kubernetes-backend');

const backend = createBackend();
backend.add(catalogPlugin);
backend.add(kubernetesPlugin);
backend.start().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';

/** A catalog Component with the Kubernetes annotation, as a file location holds it. */
export interface CatalogComponent {
  metadata: { name: string; namespace?: string; annotations?: object };
  spec: object;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts a Backstage backend with the real catalog and Kubernetes plugins in a child process
 * (see kubernetesPluginBackend.cjs), the catalog reading `components` from a file and the
 * Kubernetes plugin configured with `kubernetes`. Callers authenticate with `token`, a static
 * external-access token.
 */
export async function startKubernetesPluginBackend(
  dir: string,
  kubernetes: object,
  components: CatalogComponent[],
): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = 'kubernetes-tab-test-token';
  const catalogFile = path.join(dir, 'catalog-info.yaml');
  fs.writeFileSync(
    catalogFile,
    components
      .map(c =>
        stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          ...c,
        }),
      )
      .join('---\n'),
  );
  const configFile = path.join(dir, 'kubernetes-plugin-backend.yaml');
  fs.writeFileSync(
    configFile,
    stringify({
      backend: {
        baseUrl: url,
        listen: { port, host: '127.0.0.1' },
        database: { client: 'better-sqlite3', connection: ':memory:' },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token, subject: 'kubernetes-tab-test' },
            },
          ],
        },
      },
      catalog: {
        rules: [{ allow: ['Component'] }],
        locations: [{ type: 'file', target: catalogFile }],
        processingInterval: { seconds: 1 },
      },
      permission: { enabled: false },
      kubernetes,
    }),
  );
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, 'kubernetesPluginBackend.cjs'),
      '--config',
      configFile,
    ],
    {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    },
  );
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  const exited = new Promise<void>(resolve =>
    child.on('exit', () => resolve()),
  );

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`The Kubernetes plugin backend exited:\n${output}`);
    }
    const ready = await fetch(`${url}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `The Kubernetes plugin backend did not start:\n${output}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return {
    url,
    token,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

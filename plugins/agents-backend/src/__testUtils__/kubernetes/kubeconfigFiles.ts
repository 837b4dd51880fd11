import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** The kubeconfig document of one user of the double (JSON is valid kubeconfig YAML). */
export function kubeconfigDocument(
  server: string,
  user: string,
  token: string,
  caCertificate?: string,
) {
  // client-node refuses plain HTTP unless TLS verification is off (there is no TLS to verify).
  const authority = caCertificate
    ? {
        'certificate-authority-data':
          Buffer.from(caCertificate).toString('base64'),
      }
    : { 'insecure-skip-tls-verify': true };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'krate-double', cluster: { server, ...authority } }],
    users: [{ name: user, user: { token } }],
    contexts: [
      {
        name: 'krate-double',
        context: { cluster: 'krate-double', user, namespace: 'default' },
      },
    ],
    'current-context': 'krate-double',
    preferences: {},
  };
}

/** The double's two doors: plain HTTP for client-node, TLS for kubectl. */
export interface DoubleEndpoints {
  httpUrl: string;
  httpsUrl: string;
  caCertificate: string;
}

let written = 0;

/**
 * Writes the kubeconfig file of a user into `folder` and loads a client-node config for it.
 * The file points at the TLS listener (client-go sends no token over plain HTTP), the
 * client-node config at the plain one.
 */
export function writeKubeconfig(
  folder: string,
  endpoints: DoubleEndpoints,
  user: string,
  token: string,
) {
  const safeName = user.replace(/[^A-Za-z0-9_.-]/g, '_');
  written += 1;
  const kubeconfigPath = path.join(folder, `${safeName}-${written}.kubeconfig`);
  const fileDocument = kubeconfigDocument(
    endpoints.httpsUrl,
    user,
    token,
    endpoints.caCertificate,
  );
  fs.writeFileSync(kubeconfigPath, JSON.stringify(fileDocument, null, 2), {
    mode: 0o600,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(
    JSON.stringify(kubeconfigDocument(endpoints.httpUrl, user, token)),
  );
  return { kubeConfig, kubeconfigPath };
}

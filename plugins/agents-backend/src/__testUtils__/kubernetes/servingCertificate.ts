import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export interface ServingCertificate {
  cert: string;
  key: string;
}

/**
 * A throw-away self-signed certificate for 127.0.0.1. kubectl (client-go) only sends bearer
 * tokens to https servers, so the double also listens with TLS for kubeconfig files.
 */
export async function createServingCertificate(
  folder: string,
): Promise<ServingCertificate> {
  const keyPath = path.join(folder, 'serving.key');
  const certPath = path.join(folder, 'serving.crt');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '7',
    '-subj',
    '/CN=krate-kube-double',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  return {
    cert: fs.readFileSync(certPath, 'utf8'),
    key: fs.readFileSync(keyPath, 'utf8'),
  };
}

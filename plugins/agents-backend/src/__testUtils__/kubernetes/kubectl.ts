import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const EXTRACTED_KUBECTL = '/tmp/kc/x/usr/bin/kubectl';

/**
 * Debian's kubectl 1.20: `KRATE_KUBECTL`, else the extract `krate_ensure_kubectl` caches, else
 * the one at /tmp/kc/x, else `kubectl` on PATH.
 */
export function kubectlPath(): string {
  if (process.env.KRATE_KUBECTL) return process.env.KRATE_KUBECTL;
  const cacheHome =
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  const cached = path.join(
    cacheHome,
    'krate',
    'kubectl-1.20',
    'usr',
    'bin',
    'kubectl',
  );
  if (fs.existsSync(cached)) return cached;
  if (fs.existsSync(EXTRACTED_KUBECTL)) return EXTRACTED_KUBECTL;
  return 'kubectl';
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl against a kubeconfig, with its discovery cache next to the kubeconfig so runs of
 * different doubles never share one. Resolves on any exit code.
 */
export function runKubectl(
  kubeconfigPath: string,
  args: string[],
  options: { stdin?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  const cacheDir = path.join(path.dirname(kubeconfigPath), 'kubectl-cache');
  return new Promise(resolve => {
    const child = spawn(
      kubectlPath(),
      [`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${cacheDir}`, ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, KUBECONFIG: kubeconfigPath },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      options.timeoutMs ?? 60_000,
    );
    child.on('error', error => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code: code ?? 137, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

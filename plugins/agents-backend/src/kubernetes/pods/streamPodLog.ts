import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import { PodRef } from './podNames';

/** The log request answered with something else than the log. */
export class PodLogError extends Error {
  readonly name = 'PodLogError';

  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/**
 * Reads a container's log from its start, line by line; with `follow` until the container
 * exits or the server ends the stream. Resolves when the stream ends, rejects when it breaks
 * or `signal` aborts. It speaks HTTP itself (with the client's credentials and TLS agent)
 * because client-node's `Log` hides a broken stream: it neither ends nor fails then.
 */
export async function streamPodLog(options: {
  kubeConfig: KubeConfig;
  pod: PodRef;
  container: string;
  follow: boolean;
  signal: AbortSignal;
  onLine(line: string): void;
}): Promise<void> {
  const { kubeConfig, pod, container, follow, signal, onLine } = options;
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster');
  const url = new URL(
    `${cluster.server.replace(
      /\/$/,
      '',
    )}/api/v1/namespaces/${encodeURIComponent(
      pod.namespace,
    )}/pods/${encodeURIComponent(pod.name)}/log`,
  );
  url.searchParams.set('container', container);
  if (follow) url.searchParams.set('follow', 'true');
  const requestOptions: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(requestOptions);
  signal.throwIfAborted();
  const transport = url.protocol === 'https:' ? https : http;

  await new Promise<void>((resolve, reject) => {
    const request = transport.request(
      url,
      { ...requestOptions, method: 'GET', signal },
      response => {
        if (response.statusCode !== 200) {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', chunk => {
            body += chunk;
          });
          response.on('end', () =>
            reject(
              new PodLogError(
                response.statusCode ?? 0,
                `Reading the log of pod ${pod.namespace}/${pod.name} answered ${
                  response.statusCode
                }: ${body.slice(0, 500)}`,
              ),
            ),
          );
          response.on('error', reject);
          return;
        }
        const decoder = new StringDecoder('utf8');
        let partial = '';
        response.on('data', (chunk: Buffer) => {
          const lines = (partial + decoder.write(chunk)).split('\n');
          partial = lines.pop()!;
          lines.forEach(line => onLine(line));
        });
        response.on('end', () => {
          const rest = partial + decoder.end();
          if (rest) onLine(rest);
          resolve();
        });
        response.on('close', () => {
          if (!response.complete) {
            reject(new Error('The log stream broke off'));
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

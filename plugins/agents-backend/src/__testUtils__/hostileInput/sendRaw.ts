import http from 'node:http';

/** What a raw request got back: the status, the content type and, unless it streams, the body. */
export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Sends a request exactly as given — a body on a GET, bytes that are not UTF-8, a URL that is not
 * valid percent-encoding — which fetch and supertest refuse or repair. An event stream is closed
 * once its headers arrive.
 */
export function sendRaw(
  base: URL,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        // Without a length, a GET's body is not framed and reads as a second, broken request.
        headers: {
          ...request.headers,
          ...(request.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(request.body)) }
            : {}),
        },
        timeout: 20_000,
      },
      res => {
        const contentType = String(res.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode!, contentType, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            contentType,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 20 s')));
    // The server may answer 413 and close before a large body is written: that is an answer.
    req.on('error', error => {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') reject(error);
    });
    req.end(request.body);
  });
}

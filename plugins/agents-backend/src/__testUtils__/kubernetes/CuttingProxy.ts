import { KubeConfig } from '@kubernetes/client-node';
import net from 'node:net';

/**
 * A TCP proxy in front of the API server whose connections a test can cut, as a broken
 * network would: the client sees its open streams (a followed log) end early; or freeze, as a
 * peer that vanished without closing would: nothing more arrives and nothing ends.
 */
export class CuttingProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #frozen = new Set<net.Socket>();

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(target: string): Promise<CuttingProxy> {
    const { hostname, port } = new URL(target);
    const server = net.createServer();
    const proxy = new CuttingProxy(server);
    server.on('connection', client => {
      const upstream = net.connect(Number(port), hostname);
      for (const socket of [client, upstream]) {
        proxy.#sockets.add(socket);
        socket.on('close', () => proxy.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      // A frozen connection keeps the client's end open whatever the server does.
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => {
        if (!proxy.#frozen.has(client)) client.destroy();
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const { port } = this.#server.address() as net.AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** `kubeConfig`, talking to the API server through this proxy. */
  configFor(kubeConfig: KubeConfig): KubeConfig {
    const proxied = new KubeConfig();
    proxied.loadFromOptions({
      clusters: kubeConfig.clusters.map(c => ({ ...c, server: this.url })),
      users: kubeConfig.users,
      contexts: kubeConfig.contexts,
      currentContext: kubeConfig.currentContext,
    });
    return proxied;
  }

  /** Stops every open connection passing data, without closing it; new ones work. */
  freezeAll() {
    this.#sockets.forEach(socket => {
      this.#frozen.add(socket);
      socket.unpipe();
      socket.pause();
    });
  }

  /** Breaks every open connection. */
  cutAll() {
    this.#sockets.forEach(socket => socket.destroy());
  }

  async stop() {
    this.cutAll();
    await new Promise(resolve => this.#server.close(resolve));
  }
}

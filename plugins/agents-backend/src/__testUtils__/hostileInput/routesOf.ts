import express from 'express';

/** One route of an express router: its method and path pattern (`/runs/:namespace/:name`). */
export interface RouteOfRouter {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  name?: string;
  handle?: { stack?: Layer[] };
}

/** Every route an express router serves, nested routers included, in the order they match. */
export function routesOf(router: express.Router): RouteOfRouter[] {
  const routes: RouteOfRouter[] = [];
  const pending: Layer[] = [...(router.stack as Layer[])].reverse();
  while (pending.length > 0) {
    const layer = pending.pop()!;
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        routes.push({ method: method.toUpperCase(), path: layer.route.path });
      }
    } else if (layer.handle?.stack) {
      pending.push(...[...layer.handle.stack].reverse());
    }
  }
  return routes;
}

import { ConflictError, InputError } from '@backstage/errors';
import { RUNTIME_SURFACE_KINDS } from '@krate/plugin-agents-common';
import { Change, Context } from './WorkspaceActionHandlers';
import { RuntimeSurface, SurfaceProbe } from './SurfaceProbe';
import { surfaceUrl } from './surfaceUrl';

/** How many runtime surfaces a workspace lists. */
export const MAX_SURFACES = 20;

const SURFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * `surface-register` and `surface-remove`: the runtime surfaces of a workspace (previews, dev
 * servers, terminals, logs, port forwards, MCP endpoints) as links and health, never credentials.
 * A surface is known by its name; registering a name again replaces it in place. Its URL is checked at
 * once, and by the inventory from then on.
 */
export class WorkspaceSurfaces {
  constructor(private readonly probe: SurfaceProbe) {}

  async register({ workspace, params }: Context): Promise<Change> {
    const kind = params.oneOf('kind', RUNTIME_SURFACE_KINDS);
    if (!kind) {
      throw new InputError(
        `kind: is required; one of ${RUNTIME_SURFACE_KINDS.join(', ')}`,
      );
    }
    const name = surfaceName(params.requiredString('name'));
    const raw = params.string('url', { maxLength: 2048 });
    const url = raw === undefined ? undefined : surfaceUrl(raw);
    const port = params.integer('port', 1, 65535);
    if (url === undefined && port === undefined) {
      throw new InputError('url: is required unless a port is given');
    }
    const current = workspace.status?.runtimeSurfaces ?? [];
    const others = current.filter(s => s.name !== name);
    if (others.length >= MAX_SURFACES) {
      throw new ConflictError(
        `surface-register: the workspace lists ${MAX_SURFACES} runtime surfaces already; remove one first`,
      );
    }
    const surface: RuntimeSurface = {
      kind,
      name,
      ...(url ? { url } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(await this.probe.check(url)),
    };
    return {
      message: `registered ${kind} surface ${name}${url ? ` at ${url}` : ''}: ${
        surface.health
      } (${surface.message})`,
      runtimeSurfaces:
        others.length < current.length
          ? current.map(s => (s.name === name ? surface : s))
          : [...current, surface],
    };
  }

  remove({ workspace, params }: Context): Promise<Change> {
    const name = surfaceName(params.requiredString('name'));
    const current = workspace.status?.runtimeSurfaces ?? [];
    if (!current.some(s => s.name === name)) {
      throw new InputError(
        `name: the workspace has no runtime surface '${name}'`,
      );
    }
    return Promise.resolve({
      message: `removed surface ${name}`,
      runtimeSurfaces: current.filter(s => s.name !== name),
    });
  }
}

function surfaceName(name: string) {
  if (!SURFACE_NAME.test(name)) {
    throw new InputError(
      "name: must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  return name;
}

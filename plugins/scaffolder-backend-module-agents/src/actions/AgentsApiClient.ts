import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** A request body: JSON, or YAML text for `POST /apply`. */
export type AgentsRequestBody =
  | { json: unknown }
  | { yaml: string }
  | undefined;

/**
 * Calls the agents backend's HTTP API as the template's initiator, so a scaffolder action is
 * checked, validated and audited exactly like the route it calls. A refusal becomes the error of
 * its status carrying the route's message (which names the field or the permission).
 */
export class AgentsApiClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async call<T>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: AgentsRequestBody,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('agents');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'agents',
    });
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
    };
    let payload: string | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = 'application/yaml';
      payload = body.yaml;
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: payload,
    });
    const text = await response.text();
    const parsed = text ? parseJson(text) : undefined;
    if (response.ok) {
      return parsed as T;
    }
    const message =
      (parsed as { error?: { message?: string } } | undefined)?.error
        ?.message ?? `${method} ${path} answered ${response.status}`;
    switch (response.status) {
      case 400:
        throw new InputError(message);
      case 401:
      case 403:
        throw new NotAllowedError(`not allowed: ${message}`);
      case 404:
        throw new NotFoundError(message);
      case 409:
        throw new ConflictError(message);
      default:
        throw new ServiceUnavailableError(
          `the agents backend answered ${response.status}: ${message}`,
        );
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

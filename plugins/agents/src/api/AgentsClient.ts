import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { AgentsHealth } from '@krate/plugin-agents-common';
import { AgentsApi } from './AgentsApi';
import { AgentsResource, ApplyResponse, ResourceList } from './types';

/** The default {@link AgentsApi}, speaking HTTP to the agents backend. @public */
export class AgentsClient implements AgentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getHealth(): Promise<AgentsHealth> {
    return this.request<AgentsHealth>('/health');
  }

  listResources(
    plural: string,
    options: { namespace?: string; limit?: number; continue?: string } = {},
  ): Promise<ResourceList> {
    const query = new URLSearchParams();
    if (options.limit) query.set('limit', String(options.limit));
    if (options.continue) query.set('continue', options.continue);
    const scope = options.namespace
      ? `/namespaces/${encodeURIComponent(options.namespace)}`
      : '';
    return this.request<ResourceList>(
      `/apis/agents.krate.dev/v1alpha1${scope}/${encodeURIComponent(
        plural,
      )}?${query}`,
    );
  }

  apply(
    documents: AgentsResource[],
    options: { dryRun?: boolean } = {},
  ): Promise<ApplyResponse> {
    return this.request<ApplyResponse>(
      `/apply${options.dryRun ? '?dryRun=All' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'List', items: documents }),
      },
    );
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('agents');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

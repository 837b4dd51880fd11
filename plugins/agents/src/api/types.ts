import { AgentsObject } from '@krate/plugin-agents-common';

/** An agents resource as the API returns it. @public */
export type AgentsResource = AgentsObject;

/** One document's outcome of `POST /apply`. @public */
export interface ApplyItem {
  index: number;
  kind?: string;
  namespace?: string;
  name?: string;
  result: 'created' | 'configured' | 'unchanged' | 'invalid';
  errors?: { path: string; message: string }[];
  object?: AgentsResource;
  diff?: string;
}

/** @public */
export interface ApplyResponse {
  dryRun: boolean;
  items: ApplyItem[];
}

/** @public */
export interface ResourceList {
  items: AgentsResource[];
  metadata: { resourceVersion: string; continue?: string };
}

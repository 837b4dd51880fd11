import { WriteBackResult } from '@krate/plugin-agents-common';
import {
  AgentWriteBackTarget,
  WriteBackRequest,
} from '@krate/plugin-agents-node';
import { ForgeRepositoryApi } from './ForgeRepositoryApi';

/** The target an operation writes for: its id goes into the results, its name into messages. */
export type ForgeTarget = Pick<AgentWriteBackTarget, 'id' | 'displayName'>;

/** One kind of write-back on a forge, done so that a retry never writes twice. */
export type ForgeOperation<
  Api extends ForgeRepositoryApi = ForgeRepositoryApi,
> = (
  api: Api,
  request: WriteBackRequest,
  target: ForgeTarget,
) => Promise<WriteBackResult[]>;

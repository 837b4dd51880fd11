export { AgentMuxTestGateway } from './AgentMuxTestGateway';
export type {
  AgentDescriptor,
  AgentMuxTestGatewayOptions,
  RecordedRequest,
} from './AgentMuxTestGateway';
export { echoHarness } from './Harness';
export type {
  AgentEventInput,
  Harness,
  HarnessRun,
  ToolCallScript,
} from './Harness';
export type { LoggedEvent, RunEntry, RunOptions } from './gatewayTypes';

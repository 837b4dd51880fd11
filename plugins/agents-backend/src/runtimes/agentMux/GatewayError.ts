import { CustomErrorBase } from '@backstage/errors';

/** Why talking to the gateway failed, as an attempt outcome reason. */
export type GatewayFailure =
  | 'GatewayUnreachable'
  | 'GatewayUnauthorized'
  | 'GatewayRejected'
  | 'GatewayProtocolError'
  | 'AgentUnavailable'
  | 'RuntimeLost';

/** A failure of the Agent Mux gateway or of talking to it; never carries the token. */
export class GatewayError extends CustomErrorBase {
  name = 'GatewayError' as const;
  readonly reason: GatewayFailure;

  constructor(reason: GatewayFailure, message: string, cause?: unknown) {
    super(message, cause);
    this.reason = reason;
  }
}

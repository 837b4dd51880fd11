import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AgentApproval } from '@krate/plugin-agents-common';

/** What the approval service tells about the gates it opens and closes. */
export interface ApprovalListener {
  opened(approval: AgentApproval): void;
  closed(approval: AgentApproval): void;
}

export interface ApprovalNotifierOptions {
  notifications: NotificationService;
  /** The catalog entities of a repository; their owners are asked when a stack names no approvers. */
  repositoryEntities(repository: string): Promise<string[]>;
  logger: LoggerService;
}

const TOPIC = 'Agent approvals';
const LINK = '/agents/approvals';

/**
 * Sends a Backstage notification to the approvers of each gate (the stack's `approvers`, else
 * the repository entity's owner) and updates it when the gate is decided or expires: the same
 * `scope` makes the notifications backend replace the first one. Without the notifications
 * plugin sending fails; that is logged and approvals work as before.
 */
export class ApprovalNotifier implements ApprovalListener {
  readonly #options: ApprovalNotifierOptions;
  readonly #sending = new Set<Promise<void>>();

  constructor(options: ApprovalNotifierOptions) {
    this.#options = options;
  }

  opened(approval: AgentApproval): void {
    const { spec } = approval;
    const tool = spec.toolName ? `${spec.toolName}: ` : '';
    this.#send(approval, {
      title: `Approval needed: ${spec.actionClass} in ${where(approval)}`,
      description: `${spec.requester} asks to run ${tool}${spec.target}${
        spec.run ? ` (run ${spec.run})` : ''
      }, required by ${spec.policySource}. It expires at ${
        approval.status?.expiresAt
      }.`,
      severity: 'high',
    });
  }

  closed(approval: AgentApproval): void {
    const { spec, status } = approval;
    this.#send(approval, {
      title: `Approval ${status?.state}: ${spec.actionClass} in ${where(
        approval,
      )}`,
      description: `${spec.target} — ${status?.decidedBy}${
        status?.reason ? `: ${status.reason}` : ''
      }`,
      severity: 'low',
    });
  }

  /** Resolves when every notification started so far was sent or failed. */
  async settled(): Promise<void> {
    await Promise.all([...this.#sending]);
  }

  #send(
    approval: AgentApproval,
    content: {
      title: string;
      description: string;
      severity: 'high' | 'low';
    },
  ): void {
    const sending = this.#deliver(approval, content).finally(() =>
      this.#sending.delete(sending),
    );
    this.#sending.add(sending);
  }

  async #deliver(
    approval: AgentApproval,
    content: { title: string; description: string; severity: 'high' | 'low' },
  ): Promise<void> {
    const { notifications, logger } = this.#options;
    const { namespace, name } = approval.metadata;
    try {
      const approvers = await this.#approversOf(approval);
      if (approvers.length === 0) {
        logger.debug(
          `No approvers to notify of ${namespace}/${name}: the stack names none and the repository has no catalog owner`,
        );
        return;
      }
      await notifications.send({
        recipients: {
          type: 'entity',
          entityRef: approvers,
          ...(approval.spec.requesterMayApprove
            ? {}
            : { excludeEntityRef: approval.spec.requester }),
        },
        payload: {
          ...content,
          link: LINK,
          topic: TOPIC,
          scope: `agents.krate.dev/approval/${namespace}/${name}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify the approvers of ${namespace}/${name} (is the notifications plugin installed?): ${error}`,
      );
    }
  }

  async #approversOf(approval: AgentApproval): Promise<string[]> {
    if (approval.spec.approvers?.length) {
      return approval.spec.approvers;
    }
    return approval.spec.repository
      ? this.#options.repositoryEntities(approval.spec.repository)
      : [];
  }
}

function where(approval: AgentApproval): string {
  return approval.spec.repository ?? approval.metadata.namespace!;
}

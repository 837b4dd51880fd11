import { ApprovedAction } from './ApprovalHolds';

/** The prompt of the resume run that retries actions a human approved after their denial. */
export function continuationPrompt(approved: ApprovedAction[]): string {
  const lines = approved.map(
    ({ approval, action }) =>
      `- ${action.toolName ?? action.actionClass}: ${
        action.target
      } (approval ${approval})`,
  );
  return [
    'A human has now approved the action(s) that were denied earlier while waiting for approval:',
    ...lines,
    'Retry them now and continue the task.',
  ].join('\n');
}

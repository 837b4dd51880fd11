import { WriteBackError } from '@krate/plugin-agents-node';
import { ForgeOperation } from './ForgeOperation';
import { postMarked } from './postMarked';

/**
 * `comment` (on pull request `number`) and `issue-comment` (on issue `number`): both are issue
 * comments on the forges, posted once.
 */
export const postMarkedComment: ForgeOperation = async (
  api,
  request,
  target,
) => {
  const { operation: kind, number } = request.operation;
  if (!number) {
    throw new WriteBackError(
      `A ${kind} write-back needs the number of the ${
        kind === 'comment' ? 'pull request' : 'issue'
      }`,
    );
  }
  return postMarked(request, target, api.commentsOf(number), body =>
    api.createComment(number, body),
  );
};

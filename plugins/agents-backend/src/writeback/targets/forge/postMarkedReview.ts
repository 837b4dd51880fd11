import { WriteBackError } from '@krate/plugin-agents-node';
import { ForgeOperation } from './ForgeOperation';
import { postMarked } from './postMarked';

/** `review`: a review of pull request `number` (default verdict `COMMENT`), posted once. */
export const postMarkedReview: ForgeOperation = async (
  api,
  request,
  target,
) => {
  const { number, reviewEvent } = request.operation;
  if (!number) {
    throw new WriteBackError(
      'A review write-back needs the pull request number',
    );
  }
  return postMarked(request, target, api.reviewsOf(number), body =>
    api.createReview(number, { body, verdict: reviewEvent ?? 'COMMENT' }),
  );
};

import { CustomErrorBase } from '@backstage/errors';

/** A route that exists but does not take this method for this object: answered 405. */
export class MethodNotAllowedError extends CustomErrorBase {
  name = 'MethodNotAllowedError' as const;
}

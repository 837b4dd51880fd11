import { WriteBackOperation } from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';

/**
 * The operation as an approval is bound to it: every field that changes what is written, with
 * the body replaced by its digest (a long comment stays out of the approval's record).
 */
export function boundOperation(operation: WriteBackOperation) {
  const { body, ...rest } = operation;
  return {
    ...rest,
    ...(body !== undefined
      ? {
          bodyDigest: `sha256:${createHash('sha256')
            .update(body)
            .digest('hex')}`,
        }
      : {}),
  };
}

/** The exactly-once key of a write-back: (run, artifact digest, target operation). */
export function writeBackKey(options: {
  namespace: string;
  run: string;
  digest: string;
  target: string;
  operation: WriteBackOperation;
}): string {
  const bound = boundOperation(options.operation);
  const canonical = JSON.stringify([
    options.namespace,
    options.run,
    options.digest,
    options.target,
    Object.keys(bound)
      .sort()
      .map(key => [key, (bound as Record<string, unknown>)[key]]),
  ]);
  return `wb-${createHash('sha256')
    .update(canonical)
    .digest('hex')
    .slice(0, 40)}`;
}

/** The hidden marker a target ends every body it posts with, to find it again after a crash. */
export function writeBackMarker(key: string): string {
  return `<!-- krate-write-back:${key} -->`;
}

/**
 * Why a script stopped: thrown by a step, turned into the attempt's Failed outcome by the
 * runtime, which also emits an error event unless the step already did (`reported`).
 */
export class StepFailure extends Error {
  readonly name = 'StepFailure';
  readonly reported: boolean;

  constructor(
    /** CamelCase outcome reason, e.g. ToolFailed, PolicyDenied. */
    readonly reason: string,
    message: string,
    options: { reported?: boolean } = {},
  ) {
    super(message);
    this.reported = options.reported ?? false;
  }
}

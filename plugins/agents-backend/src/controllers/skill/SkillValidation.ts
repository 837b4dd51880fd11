/** What validating a skill found. */
export interface SkillValidation {
  /** Pending: the source could not be checked yet (its repository was not reached). */
  validation: 'Valid' | 'Invalid' | 'Pending';
  /** CamelCase reason of the `Ready` condition. */
  reason: string;
  /** What was found, or what is wrong and how to fix it. */
  message: string;
  /** The commit `spec.source.ref` resolved to, when it resolved. */
  resolvedCommit?: string;
}

/** One finding of a check: Invalid needs a change of the skill or its repository; Pending waits. */
export interface SkillFinding {
  outcome: 'valid' | 'invalid' | 'pending';
  reason: string;
  message: string;
  resolvedCommit?: string;
}

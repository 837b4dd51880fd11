import { InputError } from '@backstage/errors';

/** Reads action parameters from a request body; every error names the field. */
export class WorkspaceParams {
  constructor(private readonly body: Record<string, unknown>) {}

  string(field: string, options: { maxLength?: number } = {}) {
    const value = this.body[field];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string' || value === '') {
      throw new InputError(`${field}: must be a non-empty string`);
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      throw new InputError(
        `${field}: must be at most ${options.maxLength} characters`,
      );
    }
    return value;
  }

  requiredString(field: string, options: { maxLength?: number } = {}) {
    const value = this.string(field, options);
    if (value === undefined) {
      throw new InputError(`${field}: is required`);
    }
    return value;
  }

  /** A string that may be empty (notes). */
  text(field: string, maxLength: number) {
    const value = this.body[field];
    if (typeof value !== 'string') {
      throw new InputError(`${field}: is required and must be a string`);
    }
    if (value.length > maxLength) {
      throw new InputError(`${field}: must be at most ${maxLength} characters`);
    }
    return value;
  }

  boolean(field: string) {
    const value = this.body[field];
    if (value === undefined) {
      return false;
    }
    if (typeof value !== 'boolean') {
      throw new InputError(`${field}: must be true or false`);
    }
    return value;
  }

  integer(field: string, minimum: number, maximum: number) {
    const value = this.body[field];
    if (value === undefined) {
      return undefined;
    }
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < minimum ||
      value > maximum
    ) {
      throw new InputError(
        `${field}: must be an integer from ${minimum} to ${maximum}`,
      );
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]) {
    const value = this.string(field);
    if (value !== undefined && !allowed.includes(value as T)) {
      throw new InputError(`${field}: must be one of ${allowed.join(', ')}`);
    }
    return value as T | undefined;
  }

  /** An absolute path without `..` segments. */
  absolutePath(field: string) {
    const value = this.string(field);
    if (value !== undefined && !value.startsWith('/')) {
      throw new InputError(`${field}: must be an absolute path`);
    }
    return value;
  }

  object(field: string) {
    const value = this.body[field];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`${field}: must be an object`);
    }
    return value as Record<string, unknown>;
  }
}

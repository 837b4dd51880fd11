/**
 * Extension points for modules that extend the Krate Agents backend.
 *
 * @packageDocumentation
 */

export * from './runtimes';
export * from './writeBack';
export * from './secrets';

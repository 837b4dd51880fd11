/**
 * The Krate Agents backend plugin.
 *
 * @packageDocumentation
 */

export { agentsPlugin as default } from './plugin';

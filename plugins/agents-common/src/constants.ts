/** The plugin id shared by every package of the Krate Agents family. @public */
export const AGENTS_PLUGIN_ID = 'agents';

/** API group of the Krate Agents resources. @public */
export const AGENTS_API_GROUP = 'agents.krate.dev';

/** API version of the Krate Agents resources. @public */
export const AGENTS_API_VERSION = 'v1alpha1';

/** The `apiVersion` every Krate Agents resource carries. @public */
export const AGENTS_API_GROUP_VERSION = `${AGENTS_API_GROUP}/${AGENTS_API_VERSION}`;

/**
 * Catalog annotation that marks an entity as a repository agents work on. Its value is the
 * repository slug, `<org>/<repository>`; the org is the namespace of the agent resources.
 * @public
 */
export const AGENTS_REPOSITORY_ANNOTATION = 'agents.krate.dev/repository';

/** Search document type of the Krate Agents collator. @public */
export const AGENTS_SEARCH_TYPE = 'agents';

/** Search document type of the company-brain memory collator: one document per record. @public */
export const AGENTS_MEMORY_SEARCH_TYPE = 'agents-memory';

/** Search document type of the runs collator: one document per dispatch run. @public */
export const AGENTS_RUN_SEARCH_TYPE = 'agents-run';

/** Search document type of the approvals collator: one document per approval, pending or decided. @public */
export const AGENTS_APPROVAL_SEARCH_TYPE = 'agents-approval';

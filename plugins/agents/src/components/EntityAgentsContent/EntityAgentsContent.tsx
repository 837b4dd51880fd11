import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  AGENTS_REPOSITORY_ANNOTATION,
  getAgentsRepositoryRef,
} from '@krate/plugin-agents-common';
import { RepositoryAgents } from './RepositoryAgents';

/** Props of {@link EntityAgentsContent}. @public */
export interface EntityAgentsContentProps {
  pollIntervalMs?: number;
}

/**
 * The Agents tab of a catalog entity: the runs, workspaces and stacks of the repository its
 * `agents.krate.dev/repository` annotation names, a dispatch composer fixed to it, and the memory
 * records that name the entity or the repository.
 */
export const EntityAgentsContent = ({
  pollIntervalMs = 3000,
}: EntityAgentsContentProps) => {
  const { entity } = useEntity();
  const ref = getAgentsRepositoryRef(entity);
  if (!ref) {
    return (
      <MissingAnnotationEmptyState annotation={AGENTS_REPOSITORY_ANNOTATION} />
    );
  }
  return (
    <RepositoryAgents
      org={ref.org}
      repository={`${ref.org}/${ref.repository}`}
      entityRef={stringifyEntityRef(entity)}
      pollIntervalMs={pollIntervalMs}
    />
  );
};

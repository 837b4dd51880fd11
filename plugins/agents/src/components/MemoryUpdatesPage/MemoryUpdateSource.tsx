import { Link } from '@backstage/core-components';
import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';

/** Who proposed an update: a person, or the run it was imported from, linked. */
export const MemoryUpdateSource = ({
  update,
}: {
  update: AgentMemoryUpdate;
}) => {
  const paths = useAgentsPaths();
  const { source } = update.spec;
  if (source.kind === 'run' && source.run) {
    return (
      <>
        run{' '}
        <Link to={paths.run(source.run, update.metadata.namespace)}>
          {source.run}
        </Link>
      </>
    );
  }
  return <>{source.kind}</>;
};

import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { AgentDispatchAttempt } from '@krate/plugin-agents-common';
import Typography from '@material-ui/core/Typography';

type PodStatus = NonNullable<
  NonNullable<AgentDispatchAttempt['status']>['pod']
>;

/** The Kubernetes tab of the component's entity page, which lists its runner pods. */
function kubernetesTabOf(component: string | undefined): string | undefined {
  if (!component) return undefined;
  try {
    const ref = parseEntityRef(component);
    return `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase('en-US')}/${
      ref.name
    }/kubernetes`;
  } catch {
    return undefined;
  }
}

/** Where an attempt of a pod-placed stack runs, linked to its component's Kubernetes tab. */
export const AttemptPod = ({ pod }: { pod: PodStatus }) => {
  const label = `Pod ${pod.namespace}/${pod.name}`;
  const tab = kubernetesTabOf(pod.component);
  return (
    <Typography variant="caption" color="textSecondary" display="block">
      {tab ? <Link to={tab}>{label}</Link> : label} · runner pool {pod.pool}
    </Typography>
  );
};

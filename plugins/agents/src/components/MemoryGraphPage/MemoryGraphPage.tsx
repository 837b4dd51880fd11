import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef, MemoryGraph } from '../../api';
import { countOf } from '../../lib/format';
import { MemoryFrame } from '../MemoryFrame';
import { MemoryKindFilter } from '../MemoryKindFilter';
import { ResolvedCommit, useMemoryPoint } from '../MemoryTimeTravel';
import { graphQueryOf, withGraphParams } from './graphQueryParams';
import { kindColours } from './kindColours';
import { MemoryGraphCanvas } from './MemoryGraphCanvas';
import { MemoryNodePanel } from './MemoryNodePanel';
import { NeighbourhoodControl } from './NeighbourhoodControl';

const GraphSummary = ({ graph }: { graph: MemoryGraph }) => (
  <Typography variant="body2" aria-label="Graph summary">
    {countOf(graph.nodes.length, 'record')},{' '}
    {countOf(graph.edges.length, 'edge')}
    {graph.withheld > 0 &&
      ` · ${countOf(
        graph.withheld,
        'record',
      )} withheld (you may not read them)`}
  </Typography>
);

const MemoryGraphExplorer = ({ org }: { org: string }) => {
  const agentsApi = useApi(agentsApiRef);
  const point = useMemoryPoint();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => graphQueryOf(searchParams), [searchParams]);
  const [selectedId, setSelectedId] = useState<string>();
  const status = useAsync(
    () => agentsApi.getMemoryStatus(org, point),
    [agentsApi, org, point],
  );
  const graph = useAsyncRetry(
    () => agentsApi.getMemoryGraph(org, query, point),
    [agentsApi, org, query, point],
  );
  const nodeKinds = useMemo(
    () => status.value?.ontology.nodeKinds ?? [],
    [status.value],
  );
  const colourOf = useMemo(() => kindColours(nodeKinds), [nodeKinds]);
  const change = (changes: Parameters<typeof withGraphParams>[1]) =>
    setSearchParams(withGraphParams(searchParams, changes));

  let body;
  if (graph.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not read the graph of ${org}`}
        error={graph.error}
      />
    );
  } else if (graph.loading || !graph.value) {
    // For one render after the query changes the hook holds neither value nor error.
    body = <Progress />;
  } else if (graph.value.nodes.length === 0) {
    body = (
      <>
        <Box mb={1}>
          <ResolvedCommit resolved={graph.value.resolved} />
          <GraphSummary graph={graph.value} />
        </Box>
        <EmptyState
          missing="data"
          title="No records to draw"
          description="No record of these kinds is in the memory at this point, or you may read none of them."
        />
      </>
    );
  } else {
    const value = graph.value;
    const selected = value.nodes.find(node => node.id === selectedId);
    body = (
      <>
        <Box mb={1}>
          <ResolvedCommit resolved={value.resolved} />
          <GraphSummary graph={value} />
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} md={8}>
            <Paper>
              <MemoryGraphCanvas
                nodes={value.nodes}
                edges={value.edges}
                colourOf={colourOf}
                selectedId={selected?.id}
                onSelect={setSelectedId}
              />
            </Paper>
          </Grid>
          <Grid item xs={12} md={4}>
            <MemoryNodePanel
              org={org}
              commit={value.commit}
              node={selected}
              colourOf={colourOf}
              onShowNeighbourhood={id => change({ around: id })}
            />
          </Grid>
        </Grid>
      </>
    );
  }

  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        gridGap={16}
        mb={2}
      >
        <MemoryKindFilter
          kinds={nodeKinds}
          selected={query.kinds ?? []}
          colourOf={colourOf}
          onChange={kinds => change({ kind: kinds })}
        />
        {query.around && (
          <NeighbourhoodControl
            around={query.around}
            depth={query.depth ?? 1}
            onDepth={depth => change({ depth })}
            onWholeGraph={() => change({ around: undefined, depth: undefined })}
          />
        )}
      </Box>
      {body}
    </>
  );
};

/** An org's records and their edges drawn as a graph, filtered by kind or around one record. */
export const MemoryGraphPage = () => (
  <MemoryFrame title="Memory graph">
    {org => <MemoryGraphExplorer org={org} />}
  </MemoryFrame>
);

import { Link, Table, TableColumn } from '@backstage/core-components';
import EditIcon from '@material-ui/icons/Edit';
import { useMemo } from 'react';
import { AgentsResource } from '../../api';
import { AgentsPaths, useAgentsPaths } from '../../hooks/useAgentsPaths';

/** A table row: the stack with the stable id the table keeps its row state by. */
type StackRow = AgentsResource & { id: string };

/** `<org>/<name>`: what tells stacks apart across orgs. */
export const stackKey = (stack: AgentsResource) =>
  `${stack.metadata.namespace}/${stack.metadata.name}`;

function stackColumns(paths: AgentsPaths): TableColumn<StackRow>[] {
  return [
    {
      title: 'Name',
      field: 'metadata.name',
      highlight: true,
      render: stack => (
        <Link to={paths.stack(stack.metadata.namespace, stack.metadata.name)}>
          {stack.metadata.name}
        </Link>
      ),
    },
    { title: 'Org', field: 'metadata.namespace' },
    { title: 'Runtime', field: 'spec.runtime' },
    { title: 'Model', field: 'spec.model' },
    {
      title: 'Readiness',
      render: stack => String(stack.status?.readiness ?? 'Not reconciled'),
    },
  ];
}

export interface StacksTableProps {
  stacks: AgentsResource[];
  onEdit: (stack: AgentsResource) => void;
}

/** The stacks, each linking to its page, with an action to open it in the builder. */
export const StacksTable = ({ stacks, onEdit }: StacksTableProps) => {
  const paths = useAgentsPaths();
  const columns = useMemo(() => stackColumns(paths), [paths]);
  const rows = useMemo(
    () => stacks.map(stack => ({ ...stack, id: stackKey(stack) })),
    [stacks],
  );
  return (
    <Table
      title="Agent stacks"
      options={{ paging: false, search: true, actionsColumnIndex: -1 }}
      columns={columns}
      data={rows}
      actions={[
        {
          icon: () => <EditIcon fontSize="small" />,
          tooltip: 'Edit in builder',
          onClick: (_, row) => {
            const stack =
              row && !Array.isArray(row)
                ? stacks.find(s => stackKey(s) === row.id)
                : undefined;
            if (stack) onEdit(stack);
          },
        },
      ]}
    />
  );
};

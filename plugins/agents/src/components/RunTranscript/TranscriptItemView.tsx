import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ReactNode } from 'react';
import { ShellGroup, TranscriptItem } from './buildTranscript';
import { EventLine } from './EventLine';
import { Json, useCodeBlockStyles } from './Json';

const useStyles = makeStyles(theme => ({
  stderr: { color: theme.palette.error.main },
  lane: {
    borderLeft: `3px solid ${theme.palette.primary.light}`,
    paddingLeft: theme.spacing(2),
    margin: theme.spacing(1, 0),
  },
  thinking: { fontStyle: 'italic', color: theme.palette.text.secondary },
  attempt: {
    margin: theme.spacing(2, 0, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
}));

function inputSummary(input: unknown): string {
  if (input && typeof input === 'object') {
    const {
      command,
      path,
      file_path: filePath,
      url,
    } = input as Record<string, unknown>;
    const first = [command, path, filePath, url].find(
      v => typeof v === 'string',
    );
    if (first) return String(first);
  }
  return '';
}

const Shell = ({ shell }: { shell: ShellGroup }) => {
  const classes = useStyles();
  const code = useCodeBlockStyles();
  return (
    <pre className={code.pre} aria-label="shell output">
      {shell.start && `$ ${shell.start.command}\n`}
      {shell.output.map(o => (
        <span
          key={o.seq}
          className={o.stream === 'stderr' ? classes.stderr : undefined}
        >
          {o.text}
        </span>
      ))}
      {shell.exit &&
        `\n[exit ${shell.exit.exitCode ?? 'signal'}${
          shell.exit.durationMs !== undefined
            ? ` · ${shell.exit.durationMs} ms`
            : ''
        }]`}
    </pre>
  );
};

const Collapsible = (props: {
  title: ReactNode;
  status?: ReactNode;
  children: ReactNode;
  label: string;
}) => (
  <Accordion TransitionProps={{ unmountOnExit: true }} variant="outlined">
    <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-label={props.label}>
      <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
        {props.title}
        {props.status}
      </Box>
    </AccordionSummary>
    <AccordionDetails>
      <Box width="100%" display="flex" flexDirection="column" gridGap={8}>
        {props.children}
      </Box>
    </AccordionDetails>
  </Accordion>
);

function toolStatus(item: Extract<TranscriptItem, { kind: 'tool' }>) {
  if (!item.result) return <Chip size="small" label="running" />;
  return (
    <Chip
      size="small"
      color={item.result.isError ? 'secondary' : 'default'}
      label={`${item.result.isError ? 'error' : 'done'}${
        item.result.durationMs !== undefined
          ? ` · ${item.result.durationMs} ms`
          : ''
      }`}
    />
  );
}

/** One transcript entry; subagent lanes render their own entries nested. */
export const TranscriptItemView = ({ item }: { item: TranscriptItem }) => {
  const classes = useStyles();
  switch (item.kind) {
    case 'attempt':
      return (
        <Typography
          variant="overline"
          display="block"
          className={classes.attempt}
        >
          Attempt {item.attempt}
        </Typography>
      );
    case 'message':
      return item.event.type === 'thinking' ? (
        <Typography variant="body2" className={classes.thinking} paragraph>
          Thinking: {item.event.text}
        </Typography>
      ) : (
        <Typography
          variant="body1"
          paragraph
          style={{ whiteSpace: 'pre-wrap' }}
        >
          {item.event.text}
        </Typography>
      );
    case 'tool': {
      const summary = inputSummary(item.call?.input);
      return (
        <Collapsible
          label={`Tool call ${item.toolName}`}
          title={
            <Typography variant="body2">
              <strong>{item.toolName}</strong> {summary}
            </Typography>
          }
          status={toolStatus(item)}
        >
          {item.call?.input !== undefined && (
            <>
              <Typography variant="caption">Input</Typography>
              <Json value={item.call.input} />
            </>
          )}
          {item.shell && <Shell shell={item.shell} />}
          {item.result?.output !== undefined && (
            <>
              <Typography variant="caption">Output</Typography>
              <Json value={item.result.output} />
            </>
          )}
        </Collapsible>
      );
    }
    case 'shell':
      return (
        <Collapsible
          label={`Shell ${item.shell.start?.command ?? ''}`}
          title={
            <Typography variant="body2">
              <strong>Shell</strong> {item.shell.start?.command}
            </Typography>
          }
          status={
            <Chip
              size="small"
              label={
                item.shell.exit ? `exit ${item.shell.exit.exitCode}` : 'running'
              }
            />
          }
        >
          <Shell shell={item.shell} />
        </Collapsible>
      );
    case 'mcp': {
      const first = item.events[0];
      const last = item.events[item.events.length - 1];
      return (
        <Collapsible
          label={`MCP call ${first.server} ${first.toolName}`}
          title={
            <Typography variant="body2">
              <strong>MCP</strong> {first.server} · {first.toolName}
            </Typography>
          }
          status={
            <Chip
              size="small"
              label={last.phase === 'start' ? 'running' : last.phase}
            />
          }
        >
          {item.events.map(e => (
            <Json
              key={e.seq}
              value={e.error ?? e.output ?? e.input ?? e.phase}
            />
          ))}
        </Collapsible>
      );
    }
    case 'subagent': {
      let state = 'running';
      if (item.end) {
        state = item.end.type === 'subagent_error' ? 'failed' : 'completed';
      }
      return (
        <Box
          className={classes.lane}
          role="group"
          aria-label={`Subagent ${item.spawn?.agentName ?? item.subagentId}`}
        >
          <Box display="flex" alignItems="center" gridGap={8}>
            <Typography variant="subtitle2">
              Subagent {item.spawn?.agentName ?? item.subagentId}
            </Typography>
            <Chip
              size="small"
              label={state}
              color={state === 'failed' ? 'secondary' : 'default'}
            />
          </Box>
          {item.spawn?.prompt && (
            <Typography variant="caption" color="textSecondary" display="block">
              {item.spawn.prompt}
            </Typography>
          )}
          {item.items.map(child => (
            <TranscriptItemView key={child.key} item={child} />
          ))}
          {item.end?.type === 'subagent_result' && item.end.summary && (
            <Typography variant="body2">Result: {item.end.summary}</Typography>
          )}
          {item.end?.type === 'subagent_error' && (
            <Typography variant="body2" color="error">
              Failed: {item.end.error}
            </Typography>
          )}
        </Box>
      );
    }
    default:
      return <EventLine event={item.event} superseded={item.superseded} />;
  }
};

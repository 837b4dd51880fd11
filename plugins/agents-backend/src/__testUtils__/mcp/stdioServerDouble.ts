/*
 * The stdio MCP server double's process: run with `node --require <nodeTransform.cjs>`; see
 * stdioDoubleCommand for the arguments. It refuses to start unless MCP_DOUBLE_TOKEN holds the
 * token whose SHA-256 `--token-sha256` names, so the token itself never appears in its command.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDoubleServer } from './createDoubleServer';

const { values } = parseArgs({
  options: {
    'token-sha256': { type: 'string' },
    tools: { type: 'string', default: '[]' },
    'page-size': { type: 'string' },
    'exit-on-tools-list-page': { type: 'string' },
    hang: { type: 'boolean', default: false },
    'echo-token': { type: 'boolean', default: false },
    'pid-file': { type: 'string' },
  },
});

if (values['pid-file']) writeFileSync(values['pid-file'], String(process.pid));

const token = process.env.MCP_DOUBLE_TOKEN;
const expected = values['token-sha256'];
if (
  expected &&
  (!token || createHash('sha256').update(token).digest('hex') !== expected)
) {
  process.stderr.write(
    `MCP_DOUBLE_TOKEN is missing or wrong${
      values['echo-token'] ? ` (got '${token}')` : ''
    }\n`,
  );
  process.exit(1);
}

if (values.hang) {
  // Alive but silent: initialize never gets an answer.
  setInterval(() => {}, 60_000);
} else {
  const exitPage = values['exit-on-tools-list-page'];
  const server = createDoubleServer({
    tools: JSON.parse(values.tools!),
    pageSize: values['page-size'] ? Number(values['page-size']) : undefined,
    onToolsListPage: page => {
      if (exitPage !== undefined && page === Number(exitPage)) {
        process.stderr.write(`dying on tools/list page ${page}\n`);
        process.exit(3);
      }
    },
  });
  server.connect(new StdioServerTransport()).catch(error => {
    process.stderr.write(`${error}\n`);
    process.exit(2);
  });
}

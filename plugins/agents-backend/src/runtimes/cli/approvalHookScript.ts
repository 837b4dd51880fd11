/** Environment variable that tells the hook where to ask. */
export const HOOK_URL_ENV = 'KRATE_AGENTS_HOOK_URL';
/** Environment variable with the per-attempt token the hook sends. */
export const HOOK_TOKEN_ENV = 'KRATE_AGENTS_HOOK_TOKEN';

/**
 * The PreToolUse hook both CLIs run before a tool (plain CommonJS, no dependencies, run with the
 * backend's own Node). It posts the hook's stdin to the attempt's approval server and blocks
 * until the answer. It fails closed: anything but an explicit allow exits 2 with the reason on
 * stderr, which both CLIs treat as "do not run the tool". It is written into each attempt's
 * folder rather than shipped as a file, so it is found however the backend is bundled.
 */
export const APPROVAL_HOOK_SCRIPT = `'use strict';
const http = require('node:http');
const url = process.env.${HOOK_URL_ENV};
const token = process.env.${HOOK_TOKEN_ENV};
function deny(reason) {
  process.stderr.write(String(reason || 'Denied by Krate Agents'));
  process.exit(2);
}
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => (input += chunk));
process.stdin.on('error', () => deny('Krate Agents approval hook could not read its input'));
process.stdin.on('end', () => {
  if (!url || !token) {
    deny('Krate Agents approval hook is not configured');
    return;
  }
  const request = http.request(
    url,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer ' + token,
      },
    },
    response => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', chunk => (body += chunk));
      response.on('error', error => deny('Krate Agents approval failed: ' + error.message));
      response.on('end', () => {
        let answer;
        try {
          answer = JSON.parse(body);
        } catch (error) {
          deny('Krate Agents approval answer is unreadable');
          return;
        }
        if (response.statusCode !== 200 || !answer || answer.decision !== 'allow') {
          deny(answer && answer.reason);
          return;
        }
        process.stdout.write(
          JSON.stringify({
            hookSpecificOutput: {
              hookEventName: 'PreToolUse',
              permissionDecision: 'allow',
              permissionDecisionReason: String(answer.reason || 'Allowed by Krate Agents'),
            },
          }),
        );
        process.exit(0);
      });
    },
  );
  request.on('error', error => deny('Krate Agents approval service unreachable: ' + error.message));
  request.end(input);
});
`;

import { Harness } from '../agentMux';

/**
 * An Agent Mux harness whose agent echoes the granted `api_token` it was started with (the run
 * options' `env`) from a shell tool, the way a real agent's command output would carry it.
 */
export const grantEchoHarness: Harness = async run => {
  const env = (run.options.env ?? {}) as Record<string, string>;
  run.startSession();
  await run.toolCall({
    toolName: 'Bash',
    input: { command: 'echo "granted: $api_token"' },
    output: `granted: ${env.api_token}\n`,
  });
  run.text('Logged in.');
  run.cost({ totalUsd: 0.001, inputTokens: 10, outputTokens: 5 });
};

import os from 'node:os';

/**
 * The whole environment of a process the scripted agent starts. The backend's own environment
 * holds database passwords and API tokens, so nothing else of it is passed on.
 */
export function minimalEnvironment(): Record<string, string> {
  return {
    PATH: process.env.PATH || '/usr/local/bin:/usr/bin:/bin',
    HOME: os.homedir(),
    LANG: process.env.LANG || 'C.UTF-8',
  };
}

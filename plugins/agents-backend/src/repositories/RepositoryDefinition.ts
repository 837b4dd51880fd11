import { GitCredentials } from './GitCredentials';

/** A repository agents work on, as the backend knows it. */
export interface RepositoryDefinition {
  /** `<org>/<repository>`. */
  name: string;
  /** Where it is cloned from: a git URL or the absolute path of a local repository. */
  url: string;
  /** The branch `HEAD` stands for; default: the remote's own HEAD. */
  defaultBranch?: string;
  /** Who declared it: `agents.repositories` or a catalog entity (its ref). */
  declaredBy: string;
  /** For an http(s) `url` that needs them: passed to git through its environment only. */
  credentials?: GitCredentials;
}

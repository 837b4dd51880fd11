export { MemoryGit } from './MemoryGit';
export type {
  ChangedFile,
  FileCommit,
  GrepMatch,
  MemoryCommitQuery,
  MemoryGitOptions,
  MemoryGrepQuery,
  MemoryListOptions,
  ResolvedCommit,
} from './MemoryGit';

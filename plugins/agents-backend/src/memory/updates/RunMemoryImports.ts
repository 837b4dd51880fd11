import { InputError } from '@backstage/errors';
import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentStack,
  RunEventPayload,
} from '@krate/plugin-agents-common';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkingDirectories } from '../../dispatch/WorkingDirectories';
import { RUN_MEMORY_PATH } from '../../writeback/workspacePatch';
import { ResourceStore } from '../../resources/ResourceStore';
import { FileChange } from './MemoryPlumbing';
import { MemoryUpdates } from './MemoryUpdates';
import { checkMemoryPath, MAX_PATCH_BYTES } from './proposalInput';

/** Where in its working directory a run leaves what it learned for the org memory. */
export const RUN_MEMORY_FOLDER = RUN_MEMORY_PATH;
const MAX_FILES = 200;

/** The proposal of an attempt: one per attempt, whichever instance gets there. */
export function runImportName(attempt: string): string {
  return `${attempt}-memory`;
}

/**
 * Turns the files a succeeded attempt wrote under `.krate/memory/` into one proposed memory
 * update of the org its stack names, when the stack asks for it (`memorySource.importUpdates`).
 * It is a proposal like any other: nothing reaches the memory before a person approves it.
 */
export class RunMemoryImports {
  readonly #store: ResourceStore;
  readonly #updates: MemoryUpdates;
  readonly #directories: WorkingDirectories;

  constructor(options: {
    store: ResourceStore;
    updates: MemoryUpdates;
    directories: WorkingDirectories;
  }) {
    this.#store = options.store;
    this.#updates = options.updates;
    this.#directories = options.directories;
  }

  async importAttempt(options: {
    attempt: AgentDispatchAttempt;
    run: AgentDispatchRun;
    emit: (event: RunEventPayload) => void;
  }): Promise<void> {
    const { attempt, run, emit } = options;
    const { namespace } = run.metadata;
    const stack = (await this.#store.get(
      'AgentStack',
      namespace,
      run.spec.stack,
    )) as AgentStack | undefined;
    const source = stack?.spec.memorySource;
    if (!source?.importUpdates) return;
    const directory = path.join(
      await this.#directories.resolve({
        namespace,
        run: run.metadata.name,
        workspace: attempt.spec.workspace,
      }),
      RUN_MEMORY_FOLDER,
    );
    const warn = (message: string) =>
      emit({ type: 'warning', code: 'MemoryNotImported', message });
    const { changes, skipped } = await readTree(directory);
    skipped.forEach(warn);
    if (changes.length === 0) return;
    const org = source.org ?? namespace;
    if (!this.#updates.hasMemory(org)) {
      warn(
        `The run wrote ${changes.length} file(s) under .krate/memory/, but org ${org} has no memory repository configured; nothing was proposed`,
      );
      return;
    }
    try {
      const update = await this.#updates.propose({
        name: runImportName(attempt.metadata.name),
        org,
        title: `Memory from run ${run.metadata.name}`,
        description: `What attempt ${attempt.metadata.name} wrote under .krate/memory/, proposed for review.`,
        changes,
        source: {
          kind: 'run',
          run: run.metadata.name,
          attempt: attempt.metadata.name,
        },
        proposedBy: run.spec.requestedBy ?? `service:agents-dispatcher`,
      });
      emit({
        type: 'artifact',
        artifactKind: 'report',
        name: `Memory update ${org}/${update.metadata.name} proposed (${update.spec.files.length} file(s))`,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      warn(`The memory files were not proposed: ${error.message}`);
    }
  }
}

/** The regular files under `root` as whole-file changes; links and oversized files are skipped. */
async function readTree(
  root: string,
): Promise<{ changes: FileChange[]; skipped: string[] }> {
  const changes: FileChange[] = [];
  const skipped: string[] = [];
  const rootInfo = await lstat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) return { changes, skipped };
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    const entries = await readdir(path.join(root, relative), {
      withFileTypes: true,
    });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        pending.push(file);
      } else if (!entry.isFile()) {
        skipped.push(`.krate/memory/${file} is not a regular file; left out`);
      } else if (changes.length >= MAX_FILES) {
        skipped.push(
          `.krate/memory/${file}: more than ${MAX_FILES} files; left out`,
        );
      } else {
        const content = await readFile(path.join(root, file));
        if (content.length > MAX_PATCH_BYTES || content.includes(0)) {
          skipped.push(
            `.krate/memory/${file} is binary or larger than 1 MiB; left out`,
          );
          continue;
        }
        try {
          changes.push({
            path: checkMemoryPath(file, 'path'),
            content: content.toString('utf8'),
          });
        } catch (error) {
          skipped.push(`.krate/memory/${file}: ${(error as Error).message}`);
        }
      }
    }
  }
  return { changes, skipped };
}

import {
  AgentContextBundle,
  AgentContextLabel,
  AgentsObject,
  AGENTS_API_GROUP_VERSION,
  CONTEXT_PART_KINDS,
  ResolvedMemory,
} from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { RunMemory } from '../memory/context/RunMemory';
import { ResourceStore } from '../resources/ResourceStore';
import { REDACTED, Redactor } from './Redactor';

type Part = AgentContextBundle['spec']['parts'][number];
type PartKind = (typeof CONTEXT_PART_KINDS)[number];

/** Largest file the bundle attaches whole; longer files are cut with a marker. */
const MAX_FILE_BYTES = 64 * 1024;
/** `@path/to/file` mentions in a prompt attach that file from the working directory. */
const FILE_MENTION = /(?:^|\s)@([\w./-]+\w)/g;

function sha256(text: string) {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export interface AssembledContext {
  bundle: AgentsObject;
  /** What the runtime is given as its prompt: labels, files, then the user's prompt. */
  prompt: string;
  /** The stack's system prompt after redaction. */
  systemPrompt?: string;
}

/**
 * Builds an attempt's AgentContextBundle: the stack's system prompt, the fragments and files of
 * its context labels, the memory its run resolved at dispatch, files the prompt mentions, and
 * the prompt — each redacted, with where it came from and a digest, so the run can show exactly
 * what the agent saw.
 */
export class ContextAssembler {
  constructor(
    private readonly store: ResourceStore,
    private readonly redactor: Redactor,
    private readonly memory?: RunMemory,
  ) {}

  async assemble(options: {
    namespace: string;
    run: string;
    attempt: string;
    bundleName: string;
    repository?: string;
    prompt: string;
    profile: LaunchProfile;
    contextLabels: string[];
    workingDirectory: string;
    /** The memory the run resolved at dispatch (its `spec.memorySnapshot`); null for none. */
    memorySnapshot: ResolvedMemory | null;
  }): Promise<AssembledContext> {
    const parts: Part[] = [];
    const add = (
      kind: PartKind,
      content: string,
      provenance: Part['provenance'],
      alreadyMasked = 0,
    ) => {
      const { text, count } = this.redactor.redact(content);
      parts.push({
        kind,
        content: text,
        provenance,
        redactions: count + alreadyMasked,
        digest: sha256(text),
      });
      return text;
    };

    const systemPrompt = options.profile.systemPrompt
      ? add('system-prompt', options.profile.systemPrompt, {
          source: `AgentStack/${options.profile.stack}`,
        })
      : undefined;

    const labelNames = [
      ...new Set([
        ...options.profile.defaultContextLabels,
        ...options.contextLabels,
      ]),
    ];
    const attached = new Set<string>();
    for (const name of labelNames) {
      const label = (await this.store.get(
        'AgentContextLabel',
        options.namespace,
        name,
      )) as AgentContextLabel | undefined;
      if (!label) {
        continue;
      }
      add('context-label', label.spec.prompt, {
        source: `AgentContextLabel/${name}`,
        ref: `generation ${label.metadata.generation ?? 1}`,
      });
      for (const file of label.spec.attachments?.paths ?? []) {
        await this.#attachFile(options.workingDirectory, file, attached, add);
      }
    }
    const { memorySnapshot } = options;
    if (memorySnapshot) {
      if (!this.memory) {
        throw new Error(
          `Run ${options.run} read memory, but this backend has no memory configured`,
        );
      }
      for (const part of await this.memory.partsOf(memorySnapshot)) {
        add('memory', part.content, {
          source:
            part.line === undefined ? part.path : `${part.path}#L${part.line}`,
          ref: part.commit,
        });
      }
    }
    for (const match of options.prompt.matchAll(FILE_MENTION)) {
      await this.#attachFile(options.workingDirectory, match[1], attached, add);
    }
    // The run stores its prompt masked at dispatch; the spans masked then still count here.
    const prompt = add(
      'prompt',
      options.prompt,
      { source: 'user' },
      options.prompt.split(REDACTED).length - 1,
    );

    const digest = sha256(
      JSON.stringify(parts.map(p => [p.kind, p.provenance, p.digest])),
    );
    const bundle: AgentsObject = {
      apiVersion: AGENTS_API_GROUP_VERSION,
      kind: 'AgentContextBundle',
      metadata: {
        name: options.bundleName,
        namespace: options.namespace,
        labels: { 'agents.krate.dev/run': options.run },
      },
      spec: {
        run: options.run,
        attempt: options.attempt,
        ...(options.repository ? { repository: options.repository } : {}),
        parts,
        digest,
      },
    };
    const given = parts
      .filter(p => p.kind !== 'system-prompt' && p.kind !== 'prompt')
      .map(p => {
        if (p.kind === 'file')
          return `File ${p.provenance.source}:\n${p.content}`;
        if (p.kind === 'memory') return `${memoryHeading(p)}\n${p.content}`;
        return p.content;
      });
    return {
      bundle,
      prompt: [...given, prompt].join('\n\n'),
      systemPrompt,
    };
  }

  /** Attaches a working-directory file once; paths leaving the directory are ignored. */
  async #attachFile(
    root: string,
    relative: string,
    attached: Set<string>,
    add: (
      kind: PartKind,
      content: string,
      provenance: Part['provenance'],
    ) => string,
  ) {
    const resolvedRoot = await realpath(root);
    const file = await realpath(path.resolve(root, relative)).catch(
      () => undefined,
    );
    if (
      !file ||
      attached.has(file) ||
      !file.startsWith(`${resolvedRoot}${path.sep}`)
    ) {
      return;
    }
    const content = await readFile(file).catch(() => undefined);
    if (!content) {
      return;
    }
    attached.add(file);
    const text =
      content.length > MAX_FILE_BYTES
        ? `${content
            .subarray(0, MAX_FILE_BYTES)
            .toString('utf8')}\n… (cut at ${MAX_FILE_BYTES} bytes of ${
            content.length
          })`
        : content.toString('utf8');
    add('file', text, { source: path.relative(resolvedRoot, file) });
  }
}

/** `Memory services/payments-api.md@<commit>` (with `#L<line>` for an excerpt): the citation. */
function memoryHeading(part: Part): string {
  const [, file, line] = /^(.*?)(?:#L(\d+))?$/.exec(part.provenance.source)!;
  return `Memory ${file}@${part.provenance.ref}${line ? `#L${line}` : ''}:`;
}

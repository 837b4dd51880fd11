import { promises as fs } from 'node:fs';

/** A process, identified by pid and start time so a reused pid is not mistaken for it. */
export interface ProcessRef {
  pid: number;
  startTime: string;
}

async function readStat(
  pid: string,
): Promise<{ ppid: number; startTime: string } | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces; fields follow the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

/**
 * The descendants of a process, read from /proc. CLIs start their tools in process groups and
 * sessions of their own, so killing the CLI's group is not enough; once the CLI has exited its
 * orphans lose their parent link, which is why callers take this snapshot while it runs.
 * Without /proc (not Linux) the list is empty.
 */
export async function descendantsOf(rootPid: number): Promise<ProcessRef[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir('/proc')).filter(name => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const children = new Map<number, ProcessRef[]>();
  await Promise.all(
    entries.map(async pid => {
      const stat = await readStat(pid);
      if (stat) {
        const list = children.get(stat.ppid) ?? [];
        list.push({ pid: Number(pid), startTime: stat.startTime });
        children.set(stat.ppid, list);
      }
    }),
  );
  const found: ProcessRef[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether the process still runs (and is not a zombie waiting for its parent). */
export async function isAlive(ref: ProcessRef): Promise<boolean> {
  try {
    const stat = await fs.readFile(`/proc/${ref.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && fields[19] === ref.startTime;
  } catch {
    return false;
  }
}

/** Sends SIGKILL to each process that is still the one that was recorded. */
export async function killAll(refs: ProcessRef[]): Promise<void> {
  for (const ref of refs) {
    if (await isAlive(ref)) {
      try {
        process.kill(ref.pid, 'SIGKILL');
      } catch {
        // Gone in between.
      }
    }
  }
}

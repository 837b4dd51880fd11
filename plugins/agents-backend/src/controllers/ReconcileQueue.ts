/** What waits to be reconciled in one namespace. */
export interface QueuedWork {
  /** Every object of the namespace. */
  all: boolean;
  /** These objects, by name. */
  names: Set<string>;
  /** The objects that refer to these, as `Kind/name`. */
  referred: Set<string>;
}

/** Objects waiting to be reconciled, by namespace. */
export class ReconcileQueue {
  #queued = new Map<string, QueuedWork>();

  get size(): number {
    return this.#queued.size;
  }

  addAll(namespace: string) {
    this.#work(namespace).all = true;
  }

  addNames(namespace: string, names: Iterable<string>) {
    const work = this.#work(namespace);
    for (const name of names) work.names.add(name);
  }

  addReferrers(namespace: string, kind: string, name: string) {
    this.#work(namespace).referred.add(`${kind}/${name}`);
  }

  /** Puts work back, merged with whatever was queued meanwhile. */
  restore(namespace: string, work: QueuedWork) {
    if (work.all) this.addAll(namespace);
    this.addNames(namespace, work.names);
    const { referred } = this.#work(namespace);
    work.referred.forEach(ref => referred.add(ref));
  }

  /** Everything queued, leaving the queue empty. */
  take(): [string, QueuedWork][] {
    const queued = [...this.#queued];
    this.#queued = new Map();
    return queued;
  }

  clear() {
    this.#queued = new Map();
  }

  #work(namespace: string): QueuedWork {
    let work = this.#queued.get(namespace);
    if (!work) {
      work = { all: false, names: new Set(), referred: new Set() };
      this.#queued.set(namespace, work);
    }
    return work;
  }
}

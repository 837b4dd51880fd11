import { storageApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { parse, stringify } from 'yaml';
import { AgentsResource } from '../../api';

/** A draft kept in the user's storage (server-side with the user-settings plugin). */
export interface SavedDraft {
  draft: AgentsResource;
  savedAt: string;
}

/** What is stored: the draft as the YAML the editor shows. */
type StoredDraft = { yaml: string; savedAt: string };

const BUCKET = 'agents-drafts';

function fromStored(stored: StoredDraft | undefined): SavedDraft | undefined {
  if (!stored || typeof stored.yaml !== 'string') return undefined;
  try {
    return { draft: parse(stored.yaml), savedAt: stored.savedAt };
  } catch {
    return undefined;
  }
}

/**
 * The user's saved draft of one object (`key`): read once, saved and dropped on demand.
 * Without a storage API in the app there is nothing to save to, and `available` says so.
 */
export function useSavedDraft(key: string) {
  const storage = useApiHolder().get(storageApiRef)?.forBucket(BUCKET);
  const [saved, setSaved] = useState<SavedDraft>();

  useEffect(() => {
    if (!storage) return undefined;
    const subscription = storage
      .observe$<StoredDraft>(key)
      .subscribe(snapshot => setSaved(fromStored(snapshot.value)));
    setSaved(fromStored(storage.snapshot<StoredDraft>(key).value));
    return () => subscription.unsubscribe();
    // The bucket object is recreated each render; the key decides what is watched.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, Boolean(storage)]);

  return {
    available: Boolean(storage),
    saved,
    save: async (draft: AgentsResource) => {
      const stored: StoredDraft = {
        yaml: stringify(draft),
        savedAt: new Date().toISOString(),
      };
      await storage?.set(key, stored);
      setSaved(fromStored(stored));
    },
    drop: async () => {
      await storage?.remove(key);
      setSaved(undefined);
    },
  };
}

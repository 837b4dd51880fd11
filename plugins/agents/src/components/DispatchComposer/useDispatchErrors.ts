import {
  BUDGET_EXCEEDED_REASON,
  DISPATCH_RUN_FIELDS,
  DispatchRunRequest,
} from '@krate/plugin-agents-common';
import { useState } from 'react';

export type DispatchField = (typeof DISPATCH_RUN_FIELDS)[number];

export type DispatchErrors = Partial<Record<DispatchField, string>>;

/** What the composer asks for before it sends anything: a stack and a prompt. */
export function missingFields(request: DispatchRunRequest): DispatchErrors {
  const missing: DispatchErrors = {};
  if (!request.stack) missing.stack = 'Pick a stack';
  if (!request.prompt.trim()) missing.prompt = 'Say what the agent should do';
  return missing;
}

/** Why a budget refused the dispatch (a 409 `BudgetExceeded: …`), if that is what the API said. */
export function budgetRefusal(message: string): string | undefined {
  const prefix = `${BUDGET_EXCEEDED_REASON}:`;
  return message.startsWith(prefix)
    ? message.slice(prefix.length).trim()
    : undefined;
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The composer's field errors, derived from the request on every render so that each clears as
 * soon as its field is valid: missing fields once a dispatch was tried, and the field the API
 * refused until that field changes.
 */
export function useDispatchErrors(request: DispatchRunRequest) {
  const [tried, setTried] = useState(false);
  const [refused, setRefused] = useState<{
    field: DispatchField;
    message: string;
    value: unknown;
  }>();
  const missing = missingFields(request);

  const errors: DispatchErrors = {};
  if (refused && same(request[refused.field], refused.value)) {
    errors[refused.field] = refused.message;
  }
  if (tried) Object.assign(errors, missing);

  return {
    errors,
    /** Records a dispatch attempt; whether the request has what it needs. */
    attempt: () => {
      setTried(true);
      setRefused(undefined);
      return Object.keys(missing).length === 0;
    },
    /** The API refused `field` of this request. */
    refuse: (field: DispatchField, message: string) =>
      setRefused({ field, message, value: request[field] }),
    /** A fresh form, after a dispatch went through. */
    reset: () => {
      setTried(false);
      setRefused(undefined);
    },
  };
}

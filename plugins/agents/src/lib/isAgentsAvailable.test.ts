import { Entity } from '@backstage/catalog-model';
import { isAgentsAvailable } from './isAgentsAvailable';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', annotations },
});

describe('isAgentsAvailable', () => {
  it('is true for a valid <org>/<repository> annotation', () => {
    expect(
      isAgentsAvailable(
        entity({ 'agents.krate.dev/repository': 'acme/payments-api' }),
      ),
    ).toBe(true);
  });

  it('is false without the annotation or with a malformed one', () => {
    expect(isAgentsAvailable(entity())).toBe(false);
    expect(
      isAgentsAvailable(entity({ 'agents.krate.dev/repository': 'acme' })),
    ).toBe(false);
    expect(
      isAgentsAvailable(
        entity({ 'agents.krate.dev/repository': 'acme/payments/api' }),
      ),
    ).toBe(false);
  });
});

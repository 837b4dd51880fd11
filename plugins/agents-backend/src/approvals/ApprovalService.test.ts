import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createTestStore } from '../__testUtils__/createTestStore';
import { ApprovalService } from './ApprovalService';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('ApprovalService on %p', id => {
  async function setup(expireAfterMs = 60_000) {
    const { store } = await createTestStore(databases, id);
    let now = Date.parse('2026-11-24T10:00:00Z');
    const service = new ApprovalService({
      store,
      expireAfterMs,
      now: () => new Date(now),
      pollMs: 50,
    });
    const open = (requesterMayApprove = false) =>
      service.open({
        namespace: 'acme',
        run: 'triage-x1',
        attempt: 'triage-x1-1',
        actionClass: 'shell',
        target: 'npm publish',
        requester: 'user:default/alice',
        policySource: 'AgentToolProfile/safe',
        requesterMayApprove,
      });
    return { store, service, open, advance: (ms: number) => (now += ms) };
  }

  it('opens a pending approval that expires after the configured time', async () => {
    const { open } = await setup(5 * 60_000);
    const approval = await open();
    expect(approval.status).toEqual({
      state: 'pending',
      expiresAt: '2026-11-24T10:05:00.000Z',
    });
    expect(approval.spec).toMatchObject({
      actionClass: 'shell',
      target: 'npm publish',
      run: 'triage-x1',
    });
  });

  it('wakes a waiter with the decision, once', async () => {
    const { service, open } = await setup();
    const approval = await open();
    const waiting = service.wait('acme', approval.metadata.name);
    const decided = await service.decide({
      approval,
      verdict: 'approve',
      reason: 'looks fine',
      actor: 'user:default/bob',
    });
    expect(decided.status).toMatchObject({
      state: 'approved',
      decidedBy: 'user:default/bob',
      reason: 'looks fine',
    });
    await expect(waiting).resolves.toMatchObject({ decision: 'allow' });
    await expect(
      service.decide({
        approval: decided,
        verdict: 'reject',
        actor: 'user:default/bob',
      }),
    ).rejects.toThrow(/already approved/);
  });

  it('refuses self-approval unless the stack allows it', async () => {
    const { service, open } = await setup();
    const approval = await open(false);
    await expect(
      service.decide({
        approval,
        verdict: 'approve',
        actor: 'user:default/alice',
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const allowed = await open(true);
    await expect(
      service.decide({
        approval: allowed,
        verdict: 'approve',
        actor: 'user:default/alice',
      }),
    ).resolves.toMatchObject({ status: { state: 'approved' } });
  });

  it('fails closed: an undecided approval expires and counts as a denial', async () => {
    const { service, open, advance } = await setup(1_000);
    const approval = await open();
    advance(1_500);
    await expect(
      service.wait('acme', approval.metadata.name),
    ).resolves.toMatchObject({
      decision: 'deny',
      reason: expect.stringMatching(/expired/),
    });
    expect(
      (await service.get('acme', approval.metadata.name))?.status?.state,
    ).toBe('expired');
    await expect(
      service.decide({
        approval,
        verdict: 'approve',
        actor: 'user:default/bob',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('expires due approvals in a sweep', async () => {
    const { service, open, advance } = await setup(1_000);
    await open();
    await open();
    expect(await service.expireDue()).toBe(0);
    advance(2_000);
    expect(await service.expireDue()).toBe(2);
  });
});

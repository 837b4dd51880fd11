import { mockServices } from '@backstage/backend-test-utils';
import { RunEntry } from './gatewayProtocol';
import { InactivityWatchdog } from './InactivityWatchdog';

function watchdog(getRun: () => Promise<RunEntry | undefined>) {
  const calls = { lost: [] as string[], missedEnds: 0 };
  const dog = new InactivityWatchdog({
    windowMs: 200,
    runId: () => 'RUN',
    getRun,
    onMissedEnd: () => {
      calls.missedEnds += 1;
    },
    onLost: message => calls.lost.push(message),
    logger: mockServices.logger.mock(),
  });
  return { dog, calls };
}

const entry = (status: RunEntry['status']): RunEntry => ({
  runId: 'RUN',
  agent: 'claude',
  status,
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('InactivityWatchdog', () => {
  it('declares a run lost that stays running without events, and none while events come', async () => {
    const { dog, calls } = watchdog(async () => entry('running'));
    dog.arm();
    for (let i = 0; i < 5; i++) {
      await sleep(40);
      dog.touch();
    }
    expect(calls.lost).toEqual([]);
    await sleep(400);
    dog.disarm();
    expect(calls.lost).toEqual([
      expect.stringContaining('reports run RUN as running, but no event came'),
    ]);
  });

  it('catches up on a run that ended without its end arriving, and keeps watching', async () => {
    const { dog, calls } = watchdog(async () => entry('completed'));
    dog.arm();
    await sleep(300);
    expect(calls).toEqual({ lost: [], missedEnds: 1 });
    await sleep(200);
    dog.disarm();
    expect(calls).toEqual({ lost: [], missedEnds: 2 });
  });

  it('says so when the gateway no longer knows the run', async () => {
    const { dog, calls } = watchdog(async () => undefined);
    dog.arm();
    await sleep(400);
    expect(calls.lost).toEqual([
      'The Agent Mux gateway no longer knows run RUN and sent nothing for 0.2 s',
    ]);
  });

  it('stands down when an event came while it was asking', async () => {
    const made = watchdog(async () => {
      made.dog.touch();
      return entry('running');
    });
    made.dog.arm();
    await sleep(400);
    made.dog.disarm();
    expect(made.calls.lost).toEqual([]);
  });
});

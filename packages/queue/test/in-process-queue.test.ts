import { describe, expect, it } from 'vitest';

import { InProcessQueue } from '../src/index.js';
import { describeQueueContract } from './helpers/contract.js';
import { sleep, waitFor } from './helpers/wait.js';

describeQueueContract('InProcessQueue', async () => new InProcessQueue());

describe('InProcessQueue retention', () => {
  it('frees a jobId once its finished job has expired', async () => {
    const queue = new InProcessQueue({ completedRetentionMs: 50 });
    try {
      await queue.worker('q', async (job) => job.payload);
      expect(await queue.enqueue('q', 1, { jobId: 'once' })).toEqual({
        id: 'once',
        deduplicated: false,
      });
      await waitFor(async () =>
        (await queue.getJob('q', 'once'))?.state === 'completed' ? true : undefined,
      );
      expect((await queue.enqueue('q', 2, { jobId: 'once' })).deduplicated).toBe(true);
      await sleep(80);
      expect(await queue.getJob('q', 'once')).toBeUndefined();
      expect((await queue.enqueue('q', 3, { jobId: 'once' })).deduplicated).toBe(false);
    } finally {
      await queue.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  collectionProgressLine,
  createProgressPrinter,
  cycleProgressLines,
} from '../../cli/progress.js';
import type { CycleProgress } from '../../workflows/types.js';

const progress: CycleProgress = {
  reportingYear: 2023,
  stage: 'collecting',
  sources: [
    { sourceId: 'enedis', state: 'done', period: '2023', rows: 1, message: undefined, attempts: 1 },
    {
      sourceId: 'sdes',
      state: 'running',
      period: '2023',
      rows: undefined,
      message: 'attempt 1 of fetchSource failed: 503',
      attempts: 2,
    },
    {
      sourceId: 'sinoe',
      state: 'waiting',
      period: '2017',
      rows: undefined,
      message: undefined,
      attempts: 0,
    },
  ],
};

describe('progress of long work', () => {
  it('draws a bar of finished sources and one line per source with its attempt', () => {
    expect(cycleProgressLines(progress)).toEqual([
      'cycle 2023 collecting [███████░░░░░░░░░░░░░] 1/3 sources',
      `  ${'enedis'.padEnd(32)} done 1 rows`,
      `  ${'sdes'.padEnd(32)} running attempt 2  attempt 1 of fetchSource failed: 503`,
      `  ${'sinoe'.padEnd(32)} waiting`,
    ]);
  });

  it('prints only the lines that changed when there is no terminal', () => {
    const written: string[] = [];
    const print = createProgressPrinter({ write: (text) => written.push(text), isTTY: false });
    print(['a', 'b']);
    print(['a', 'c']);
    print(['a', 'c']);
    expect(written).toEqual(['a\n', 'b\n', 'c\n']);
  });

  it('redraws the lines in place on a terminal', () => {
    const written: string[] = [];
    const print = createProgressPrinter({ write: (text) => written.push(text), isTTY: true });
    print(['a', 'b']);
    print(['a', 'c']);
    expect(written).toEqual(['\x1b[2Ka\n\x1b[2Kb\n', '\x1b[2A\x1b[2Ka\n\x1b[2Kc\n']);
  });

  it('shows a collection step with its retry and last failure', () => {
    expect(
      collectionProgressLine({
        sourceId: 'sdes',
        period: '2023',
        step: 'fetching',
        attempt: 3,
        lastFailure: 'GET … answered 503',
      }),
    ).toBe('sdes 2023 fetching attempt 3  last failure: GET … answered 503');
  });
});

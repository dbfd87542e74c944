/** The /metrics text: counters, and latency histograms whose buckets are cumulative as Prometheus reads them. */
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, Metrics } from '../../src/http/metrics.js';

describe('Metrics', () => {
  it('renders a histogram with cumulative buckets, +Inf, sum and count per label set', () => {
    const m = new Metrics();
    m.observe('idv_webhook_answer_seconds', { outcome: 'pending' }, 0.004);
    m.observe('idv_webhook_answer_seconds', { outcome: 'pending' }, 0.2);
    m.observe('idv_webhook_answer_seconds', { outcome: 'pending' }, 120); // above every bucket
    m.observe('idv_webhook_answer_seconds', { outcome: 'rejected' }, 0.0001);
    const text = m.render();
    expect(text).toContain('# TYPE idv_webhook_answer_seconds histogram');
    const line = (le: string, outcome = 'pending') =>
      Number(
        new RegExp(
          `^idv_webhook_answer_seconds_bucket\\{outcome="${outcome}",le="${le.replace('+', '\\+')}"\\} (\\d+)$`,
          'm',
        ).exec(text)?.[1],
      );
    expect(line('0.001')).toBe(0);
    expect(line('0.005')).toBe(1);
    expect(line('0.1')).toBe(1);
    expect(line('0.25')).toBe(2);
    expect(line('60')).toBe(2);
    expect(line('+Inf')).toBe(3);
    expect(line('0.001', 'rejected')).toBe(1);
    expect(text).toMatch(/^idv_webhook_answer_seconds_count\{outcome="pending"\} 3$/m);
    expect(text).toMatch(/^idv_webhook_answer_seconds_sum\{outcome="pending"\} 120\.204$/m);
    // One line per bucket, +Inf, sum and count, for each of the two label sets.
    expect(text.split('\n').filter((l) => l.startsWith('idv_webhook_answer_seconds'))).toHaveLength(
      2 * (LATENCY_BUCKETS.length + 3),
    );
  });

  it('keeps counters as before', () => {
    const m = new Metrics();
    m.inc('idv_events_processed_total');
    m.inc('idv_events_processed_total', {}, 2);
    expect(m.render()).toContain('idv_events_processed_total 3');
  });
});

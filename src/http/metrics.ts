/** A minimal Prometheus counter registry for GET /metrics (text exposition format 0.0.4). */
export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    let series = this.counters.get(name);
    if (!series) this.counters.set(name, (series = new Map()));
    const key = Object.entries(labels)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
      .join(',');
    series.set(key, (series.get(key) ?? 0) + by);
  }

  /** `gauges`: metric name → label set (e.g. `status="dead"`) → value, read at scrape time. */
  render(gauges: Record<string, Record<string, number>> = {}): string {
    const lines: string[] = [];
    for (const [name, series] of this.counters) {
      lines.push(`# TYPE ${name} counter`);
      for (const [labels, value] of series) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    }
    for (const [name, series] of Object.entries(gauges)) {
      lines.push(`# TYPE ${name} gauge`);
      for (const [labels, value] of Object.entries(series))
        lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

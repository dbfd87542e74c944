/** Small statistics helpers; `sorted` arrays are ascending. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

export function median(values) {
  const clean = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (clean.length === 0) return NaN;
  const mid = Math.floor(clean.length / 2);
  return clean.length % 2 ? clean[mid] : (clean[mid - 1] + clean[mid]) / 2;
}

export function spread(values) {
  const clean = values.filter((v) => Number.isFinite(v));
  if (clean.length === 0) return { min: NaN, max: NaN };
  return { min: Math.min(...clean), max: Math.max(...clean) };
}

export function sortedOf(values) {
  return Float64Array.from(values).sort();
}

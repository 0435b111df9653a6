/** Small statistics helpers; percentiles by nearest rank on a sorted copy. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => percentile(values, 50);
export const max = (values) => values.reduce((m, v) => (v > m ? v : m), -Infinity);
export const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summary(values) {
  return { count: values.length, p50: round(percentile(values, 50)), p90: round(percentile(values, 90)), p99: round(percentile(values, 99)), max: round(max(values)) };
}

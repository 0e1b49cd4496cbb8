/** Whether a value holds a number that is NaN or infinite (walks arrays and objects, not too deep). */
export function hasNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return children.some((v) => hasNonFinite(v, depth + 1));
}

// Reads run at once and answered by name, where a page needs many independent reads.

/** Awaits every read of the record together; each answer under its read's name. */
export async function allOf<T extends Record<string, unknown>>(
  reads: T,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const names = Object.keys(reads);
  const answers = await Promise.all(Object.values(reads));
  return Object.fromEntries(names.map((name, i) => [name, answers[i]])) as { [K in keyof T]: Awaited<T[K]> };
}

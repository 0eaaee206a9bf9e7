/** Something BullMQ-like that closes politely and can also be cut off. */
export interface Closable {
  close(): Promise<void>;
  disconnect?(): Promise<void>;
}

/**
 * Closes `target` politely, giving up after `ms`: BullMQ's close() waits for active jobs and for
 * Redis, and either can hang (a job stuck on a CRM, Redis gone). Past the deadline the connection
 * is cut; a job cut off this way is found stalled and runs again on another worker.
 * Resolves to true when the polite close finished in time.
 */
export async function closeWithin(target: Closable, ms: number, force?: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const polite = target.close().then(
    () => 'closed' as const,
    () => 'failed' as const,
  );
  const outcome = await Promise.race([polite, deadline]);
  clearTimeout(timer);
  if (outcome === 'closed') return true;
  await Promise.resolve(force ? force() : target.disconnect?.()).catch(() => undefined);
  return false;
}

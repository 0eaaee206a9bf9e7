/**
 * SIGINT and SIGTERM as an AbortSignal for a long command (an import): the work stops at its next
 * boundary and says it was interrupted, instead of the process dying part way through a batch.
 * Call `release()` when the work is over.
 */
export function interruptSignal(): { signal: AbortSignal; release(): void } {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

import { Redis } from 'ioredis';

/**
 * A plain Redis client for the service's own keys (results stream, brain check times, readiness
 * PING). `failFast` turns the offline queue off, so a command issued while Redis is down fails at
 * once; used where a request or a probe waits on the answer.
 */
export function createRedis(url: string, opts: { failFast?: boolean; name?: string } = {}): Redis {
  const client = new Redis(url, {
    ...(opts.failFast ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: 3 }),
    ...(opts.name ? { connectionName: opts.name } : {}),
    // Reconnect quickly at first, then every 2 s at most: a restarted Redis is back in use soon.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error event.
  client.on('error', () => undefined);
  return client;
}

/** Quits politely within `ms`, then drops the connection. */
export async function closeRedis(client: Redis, ms = 2000): Promise<void> {
  if (client.status === 'end') return;
  const quit = client.quit().then(
    () => true,
    () => false,
  );
  const done = await Promise.race([quit, delay(ms).then(() => false)]);
  if (!done) client.disconnect();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

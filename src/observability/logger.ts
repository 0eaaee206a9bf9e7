import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redactDeep, redactText, redactUrl } from './redact';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go; stdout when absent. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Bound to every line, e.g. the process role (`api`, `worker`, `brain`). */
  role?: string;
}

/**
 * The one place log lines are made. Redaction runs on the finished line (pino's `streamWrite`
 * hook), after every serializer, child binding and message format has had its say, so nothing a
 * caller logs (message, object, error, stack, URL, binding) can carry a full phone number or a
 * credential past it. Costs one JSON parse and stringify per line, which a service logging per
 * request and per job, never per record, does not notice.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    base: opts.role ? { role: opts.role } : { pid: process.pid },
    serializers: {
      req: serializeRequest,
      res: serializeReply,
      err: pino.stdSerializers.err,
    },
    hooks: { streamWrite: redactLine },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** Redacts one serialized pino line; `time` stays a number. */
export function redactLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return redactText(line);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return redactText(line);
  const { time, ...rest } = parsed as Record<string, unknown>;
  const redacted = redactDeep(rest) as Record<string, unknown>;
  const out = time === undefined ? redacted : { level: redacted.level, time, ...redacted };
  return `${JSON.stringify(out)}\n`;
}

interface LoggableRequest {
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
  ip?: string;
  headers?: Record<string, unknown>;
}

/** Requests are logged by method, masked URL and route template; headers are left out. */
function serializeRequest(req: LoggableRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    route: req.routeOptions?.url,
    remoteAddress: req.ip,
  };
}

function serializeReply(reply: { statusCode?: number }): Record<string, unknown> {
  return { statusCode: reply.statusCode };
}

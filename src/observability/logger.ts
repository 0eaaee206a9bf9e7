import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pinoPretty from 'pino-pretty';
import { redactDeep, redactText, redactUrl } from './redact';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go; stdout when absent. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Bound to every line, e.g. the process role (`api`, `worker`, `brain`). */
  role?: string;
  /**
   * `pretty`: lines a person reads (pino-pretty, colours when `destination` is a terminal);
   * `json`: one JSON object a line, for log collectors. Default: JSON to a given `destination`,
   * else pretty when the file descriptor is a terminal.
   */
  format?: 'json' | 'pretty';
  /** The file descriptor lines go to when no `destination` is given (1, stdout, by default). */
  fd?: 1 | 2;
}

/** Whether lines written to `fd` are read by a person: pretty unless LOG_FORMAT says json. */
export function logFormatFor(fd: 1 | 2, configured: 'json' | 'pretty' | undefined): 'json' | 'pretty' {
  if (configured) return configured;
  return (fd === 1 ? process.stdout : process.stderr).isTTY ? 'pretty' : 'json';
}

/**
 * The one place log lines are made. Redaction runs on the finished line (pino's `streamWrite`
 * hook), after every serializer, child binding and message format has had its say, so nothing a
 * caller logs (message, object, error, stack, URL, binding) can carry a full phone number or a
 * credential past it. Costs one JSON parse and stringify per line, which a service logging per
 * request and per job, never per record, does not notice.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const fd = opts.fd ?? 1;
  // A stream given by a caller (tests) is read back by a program: JSON unless asked otherwise.
  const pretty = (opts.format ?? (opts.destination ? 'json' : logFormatFor(fd, undefined))) === 'pretty';
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    base: opts.role ? { role: opts.role } : { pid: process.pid },
    serializers: {
      req: serializeRequest,
      res: serializeReply,
      err: pino.stdSerializers.err,
    },
    hooks: { streamWrite: redactLine, ...(pretty ? { logMethod: quietRequestLines } : {}) },
  };
  if (pretty) {
    // pino-pretty as a stream in this thread, not a transport: it formats the line the
    // streamWrite hook has already redacted, so both formats carry the same masked text.
    const stream = pinoPretty({
      destination: opts.destination ?? fd,
      sync: true,
      colorize: opts.destination ? false : Boolean((fd === 1 ? process.stdout : process.stderr).isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      singleLine: true,
      ignore: 'pid,hostname,role',
      messageFormat: '{if role}{role}: {end}{msg}',
    });
    return pino(options, stream);
  }
  const destination = opts.destination ?? (fd === 1 ? undefined : pino.destination({ fd, sync: true }));
  return destination ? pino(options, destination) : pino(options);
}

/**
 * A person reading the demo's terminal wants what the service does, not the dialer's several
 * requests a second: in pretty mode a request that succeeded (`request completed`, status
 * below 400) is written only at LOG_LEVEL=debug. Refused and failed requests still show, and
 * JSON lines keep every request for log collectors.
 */
function quietRequestLines(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, level: number): void {
  const [first, message] = args as unknown[];
  const quiet =
    level === pino.levels.values.info &&
    message === 'request completed' &&
    typeof first === 'object' &&
    first !== null &&
    Number((first as { statusCode?: unknown }).statusCode) < 400 &&
    !this.isLevelEnabled('debug');
  if (!quiet) method.apply(this, args);
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

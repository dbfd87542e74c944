/**
 * Durability without blocking the event loop. better-sqlite3 runs a commit, fsync included, on the event
 * loop: with synchronous=FULL every receiver batch froze all request handling for the length of an fsync
 * (measured: the server idle 45% of the time at c=32, waiting). Instead the connection runs with
 * synchronous=NORMAL — a commit writes its WAL frames but does not sync them — and whoever must not answer
 * before the data is on disk awaits `sync()`, an fdatasync of the WAL file on libuv's thread pool.
 *
 * Why this is as durable as FULL for what it covers: fsync works on the file (inode), not on the descriptor,
 * so syncing our own descriptor of `<db>-wal` flushes the frames SQLite wrote through its descriptor. Frames
 * that a checkpoint has already moved into the database file are safe too: with synchronous=NORMAL SQLite
 * syncs the WAL before each checkpoint and the database file after it. The WAL is never deleted while this
 * connection is open.
 *
 * Callers share syncs: the receiver's group commits, the dispatcher's claims and operator writes all ask
 * for one, and while one is on the disk every new caller waits for the single sync that starts after it
 * (which covers each of their commits), so at most one sync runs and one waits, however many ask.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  private handle: Promise<FileHandle> | undefined;
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string | null) {}

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    if (this.walPath === null) return Promise.resolve();
    if (this.inFlight === undefined) return this.start();
    // The sync on the disk may have begun before the caller's commit: the next one is certain to cover it.
    const after = () => {
      this.next = undefined;
      return this.start();
    };
    return (this.next ??= this.inFlight.then(after, after));
  }

  private start(): Promise<void> {
    const running = this.datasync().finally(() => {
      if (this.inFlight === running) this.inFlight = undefined;
    });
    this.inFlight = running;
    return running;
  }

  private async datasync(): Promise<void> {
    const walPath = this.walPath!;
    // The WAL file exists from the first write in WAL mode, so it is opened lazily.
    this.handle ??= open(walPath, 'r');
    try {
      await (await this.handle).datasync();
    } catch (err) {
      this.handle = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}

// Where the throw-away PostgreSQL clusters of tests live: /dev/shm (tmpfs) when
// the machine has one with room, else the system temp directory.
//
// Why: on this machine's ext4, CREATE DATABASE … TEMPLATE of the migrated
// template took 360–440 ms, nearly all of it kernel time allocating inodes
// (perf: ext4_create → recently_deleted, which skips the inodes of files
// deleted moments ago; every test database is hundreds of files, created and
// then deleted), against 15 ms on tmpfs; every test clones it.
// These clusters run with fsync off and are deleted at the end: nothing is
// lost by keeping them in memory. Benchmarks keep theirs on disk (bench/lib/
// bench-database.ts): they measure durable commits.
import { accessSync, constants, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';

const SHM = '/dev/shm';
/** A run's cluster holds the template, a few databases at a time and up to max_wal_size (1 GB) of WAL. */
const ROOM_BYTES = 2 * 1024 ** 3;

let chosen: string | undefined;

/** The directory to create test clusters under; `TEST_SCRATCH_DIR` overrides it. */
export function scratchRoot(): string {
  chosen ??= process.env.TEST_SCRATCH_DIR || (shmHasRoom() ? SHM : tmpdir());
  return chosen;
}

function shmHasRoom(): boolean {
  try {
    if (!statSync(SHM).isDirectory()) return false;
    accessSync(SHM, constants.W_OK);
    const fs = statfsSync(SHM);
    return fs.bavail * fs.bsize >= ROOM_BYTES;
  } catch {
    return false;
  }
}

// A start refused for a reason the operator can fix (DATA_DIR in use, no database,
// permissions): shown as one line naming the path and the fix, never a stack trace.
export class DataDirProblem extends Error {
  override name = 'DataDirProblem';

  /** 2: a usage mistake (wrong DATA_DIR, already in use); 1: the machine needs fixing. */
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

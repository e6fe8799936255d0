/**
 * True while a process with this pid exists. Signal 0 checks without sending anything: ESRCH means no such
 * process; EPERM means one exists that this user may not signal.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

import { readFileSync, readlinkSync } from "node:fs";

/** Whether a process with this id runs in our process table; EPERM means it runs as someone else. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Names the process table our pid lives in: on Linux the boot id (a reboot empties the table) and
 * the pid namespace (containers sharing a host name have separate tables). Undefined elsewhere,
 * where the host name alone has to do.
 */
export function processSpace(): string | undefined {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const namespace = readlinkSync("/proc/self/ns/pid").replace(/^pid:\[(\d+)\]$/, "$1");
    return boot && namespace ? `${boot}/${namespace}` : undefined;
  } catch {
    return undefined;
  }
}

import { readdirSync, readFileSync, readlinkSync } from "node:fs";

// Whether the process listening on a port is the one the lab started. A free port is only free
// when it is picked: with test files and lab workers starting servers in parallel, another server
// can take it first, and a server that retries its bind (gunicorn does, five times) would then
// look ready while the port answers for someone else. Linux /proc only; elsewhere it cannot tell.

/** Inodes of the sockets listening on this TCP port (IPv4 and IPv6); null when /proc has no net. */
function listeningInodes(port: number): Set<string> | null {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  let readAny = false;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
      readAny = true;
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st ... inode: st 0A is LISTEN, the inode is the tenth field.
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1]?.endsWith(hex) && f[3] === "0A") inodes.add(f[9] as string);
    }
  }
  return readAny ? inodes : null;
}

/** The parent pid from /proc, or null when the process is gone. */
export function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p: number | null = pid, hops = 0; p !== null && p > 1 && hops < 64; p = parentOf(p), hops++) {
    if (p === ancestor) return true;
  }
  return false;
}

/**
 * "ours" when a process of the started one's tree holds the listening socket, "other" when another
 * process does, "unknown" when that cannot be read (no /proc, or processes of another user).
 */
export function portOwner(port: number, rootPid: number): "ours" | "other" | "unknown" {
  const inodes = listeningInodes(port);
  if (inodes === null || inodes.size === 0) return "unknown";
  let holder: number | null = null;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1] as string)) {
          if (descendsFrom(Number(entry), rootPid)) return "ours";
          holder = Number(entry);
        }
      } catch {
        // closed while we looked
      }
    }
  }
  return holder === null ? "unknown" : "other";
}

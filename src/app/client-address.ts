import { isIPv4, isIPv6 } from "node:net";

/** The eight 16-bit groups of an IPv6 address, `::` and a dotted IPv4 tail expanded. */
function groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const parts = (s: string) =>
    s === "" ? [] : s.split(":").flatMap((p) => (isIPv4(p) ? ["0", "0"] : [p]));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

/**
 * The key a client address is counted under: an IPv4 address as is (also when mapped into IPv6),
 * an IPv6 address by its /64, the block one subscriber usually gets (counting each of its 2^64
 * addresses on its own would be no limit at all).
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const address = ip.split("%")[0] ?? ip;
  if (!isIPv6(address)) return ip;
  return `${groups(address).slice(0, 4).join(":")}::/64`;
}

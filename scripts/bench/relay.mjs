// A TCP relay that adds a fixed delay each way, for the bench's latency mode (netem is not
// available in this kernel). A connection costs a round trip before its first byte goes on, as a
// TCP handshake would: the client's data reaches the upstream at accept + RTT + RTT/2 at the earliest.
import { createConnection, createServer } from "node:net";

/** Chunks delivered in order, each no earlier than `at(now)`. */
function delayedPipe(from, to, at) {
  let last = 0;
  const later = (fn) => {
    last = Math.max(last, at(Date.now()));
    setTimeout(fn, Math.max(0, last - Date.now()));
  };
  from.on("data", (chunk) => later(() => to.destroyed || to.write(chunk)));
  from.on("end", () => later(() => to.destroyed || to.end()));
  from.on("error", () => later(() => to.destroy()));
  from.on("close", () => later(() => to.destroy()));
}

/** Starts a relay to 127.0.0.1:upstreamPort adding rttMs / 2 each way; resolves { port, close }. */
export function startRelay(upstreamPort, rttMs) {
  const oneWay = rttMs / 2;
  const sockets = new Set();
  const server = createServer((client) => {
    const accepted = Date.now();
    const upstream = createConnection({ host: "127.0.0.1", port: upstreamPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    delayedPipe(client, upstream, (now) => Math.max(now, accepted + rttMs) + oneWay);
    delayedPipe(upstream, client, (now) => now + oneWay);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}

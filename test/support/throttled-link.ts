// A TCP forwarder that delivers a server's bytes at a fixed rate per connection, as a real network link would (the local
// registry answers at memory speed). For benchmarks of downloads; listens on 127.0.0.1 only.
import { connect, createServer, type AddressInfo, type Server } from 'node:net';

export interface ThrottledLink {
  /** host:port to use instead of the target's. */
  host: string;
  close(): Promise<void>;
}

/** Forwards to `target` (host:port); bytes from the target reach the client at `bytesPerSecond` on each connection. */
export async function startThrottledLink(target: string, bytesPerSecond: number): Promise<ThrottledLink> {
  const [targetHost, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    client.pipe(upstream);
    const started = Date.now();
    let delivered = 0;
    upstream.on('data', (chunk: Buffer) => {
      delivered += chunk.length;
      // Hold the upstream back until the link would have carried this much; and whenever the client is not reading.
      const wait = started + (delivered / bytesPerSecond) * 1000 - Date.now();
      const flowing = client.write(chunk);
      if (wait > 0 || !flowing) {
        upstream.pause();
        const resume = () => setTimeout(() => upstream.resume(), Math.max(0, wait));
        if (flowing) resume();
        else client.once('drain', resume);
      }
    });
    upstream.on('end', () => client.end());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.unref();
      }),
  };
}

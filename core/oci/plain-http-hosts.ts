// Where a registry may be spoken to over plain HTTP: the hosts a user listed (loopback by default), matched one way for
// every caller (the registry transport, cloud sign-in's token exchange, the language server's settings).
import { hostnameOf } from './reference';

/** A registry on this machine: plain HTTP is allowed there without asking. */
export const LOOPBACK_REGISTRY_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/**
 * Whether `host` (`host` or `host:port`, IPv6 in brackets) is in `listed`: an entry without a port lists the host on
 * every port, an entry with one lists only that port.
 */
export function isListedHost(listed: readonly string[], host: string): boolean {
  const name = hostnameOf(host);
  return listed.some((entry) => entry === host || entry === name);
}

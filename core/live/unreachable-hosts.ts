// Registry trouble that belongs to a HOST, not a repository (the name does not resolve, nothing answers, no route, TLS,
// the proxy): recognised from the transport's failure kind and said once per host, telling an offline machine apart
// from a host that is down or a name that does not resolve. Pure apart from reading the network interfaces.
import { networkInterfaces } from 'node:os';
import type { NetworkFailure } from '../oci/errors';
import type { LiveProblem } from './live-resolution';

/** Failures that every repository on the same host would hit alike. */
const HOST_FAILURES: ReadonlySet<NetworkFailure> = new Set(['dns', 'refused', 'no-route', 'timeout', 'tls', 'proxy']);

export function isHostProblem(problem: LiveProblem | undefined): boolean {
  return problem?.network !== undefined && HOST_FAILURES.has(problem.network);
}

/** True when no network interface other than loopback has an address: the machine itself is offline. */
export function machineLooksOffline(interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): boolean {
  return !Object.values(interfaces).some((list) => (list ?? []).some((i) => !i.internal));
}

/** One sentence for the first source on an unreachable host: what is wrong, and that it is said once for the host. */
export function hostProblemMessage(host: string, problem: LiveProblem, offline: boolean): string {
  const why =
    offline && (problem.network === 'dns' || problem.network === 'no-route' || problem.network === 'timeout')
      ? 'this machine looks offline (no network interface is up)'
      : problem.network === 'dns'
        ? `its name does not resolve (${problem.message})`
        : problem.network === 'refused' || problem.network === 'no-route'
          ? `the host is down or unreachable (${problem.message})`
          : problem.network === 'timeout'
            ? `the host does not answer (${problem.message})`
            : problem.message;
  // True wherever it is read: the CLI reports it once per run, the editor once until the host answers again.
  return `Live registry data from ${host} is unavailable for every source using it: ${why.replace(/\.$/, '')}. This note stands for all of them.`;
}

// Which failures are a host's (said once per host) and how the note tells an offline machine, a name that does not
// resolve and a host that is down apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostProblemMessage, isHostProblem, machineLooksOffline } from '../../../core/live/unreachable-hosts';

test('connection-level failures are host problems; auth, not-found and rate limits stay per repository', () => {
  for (const network of ['dns', 'refused', 'no-route', 'timeout', 'tls', 'proxy'] as const) assert.equal(isHostProblem({ code: 'unreachable', message: 'x', network }), true, network);
  assert.equal(isHostProblem({ code: 'unreachable', message: 'broke off', network: 'reset' }), false);
  assert.equal(isHostProblem({ code: 'auth-required', message: 'x' }), false);
  assert.equal(isHostProblem(undefined), false);
});

test('an offline machine is told apart from a name that does not resolve and a host that is down', () => {
  const dns = { code: 'unreachable' as const, message: 'Cannot reach ghcr.io: host name not found.', network: 'dns' as const };
  assert.match(hostProblemMessage('ghcr.io', dns, true), /ghcr\.io .*this machine looks offline/);
  assert.match(hostProblemMessage('ghcr.io', dns, false), /its name does not resolve/);
  assert.match(hostProblemMessage('quay.io', { code: 'unreachable', message: 'connection refused', network: 'refused' }, false), /the host is down or unreachable/);
  assert.match(hostProblemMessage('quay.io', { code: 'unreachable', message: 'refused', network: 'refused' }, true), /down or unreachable/, 'a refusal proves the network works');
});

test('the note promises nothing only the editor does (the CLI reads it too), and ends in one full stop', () => {
  const tls = hostProblemMessage('registry.example', { code: 'unreachable', message: 'The certificate is not trusted.', network: 'tls' }, false);
  assert.equal(tls, 'Live registry data from registry.example is unavailable for every source using it: The certificate is not trusted. This note stands for all of them.');
  assert.doesNotMatch(hostProblemMessage('ghcr.io', { code: 'unreachable', message: 'x', network: 'timeout' }, false), /retry|hover/i);
});

test('offline means no interface but loopback has an address', () => {
  const loopback = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' } as const;
  assert.equal(machineLooksOffline({ lo: [loopback] }), true);
  assert.equal(machineLooksOffline({ lo: [loopback], eth0: [{ ...loopback, address: '10.0.0.5', internal: false, cidr: '10.0.0.5/8' }] }), false);
});

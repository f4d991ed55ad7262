// An OCIRepository's spec.timeout carried through Pull and Inspect over stdio against a real registry: the source
// records report it as timeoutSeconds, pullArtifact validates the param, pulls with a valid one and ends a download
// that outlasts it (through a proxy that trickles one layer).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RpcResponseError, type LspClient } from '../support/lsp-client';
import { pushHelmChart } from '../support/registry-push';
import { HELMRELEASE_CHARTREF } from './fixtures';
import { HELM_LAYER, podinfoRepository, startLiveServer, type LiveServer } from './live-server';

interface Source {
  kind: string;
  name: string;
  reference?: string;
  timeoutSeconds?: number;
}

/** The podinfo OCIRepository pinned to tag 6.7.1; `timeout` is written as spec.timeout when given. */
const repository = (host: string, name: string, timeout?: string) => podinfoRepository(host, name, 'tag: 6.7.1', timeout);

/** The shared chartRef HelmRelease, pointed at the OCIRepository `slow`. */
const RELEASE = HELMRELEASE_CHARTREF.replace(/ {4}name: podinfo\n$/, '    name: slow\n');

/**
 * A proxy in front of the registry that sends the blob `slowDigest` one byte every 200 ms (everything else passes
 * straight through), so a pull of it takes minutes unless a deadline ends it.
 */
async function startTrickleProxy(upstream: string, slowDigest: string): Promise<{ host: string; stop(): Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const forwarded = request(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } }, (answer) => {
      if (!(req.url ?? '').endsWith(`/blobs/${slowDigest}`) || answer.statusCode !== 200) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
        let sent = 0;
        const timer = setInterval(() => {
          res.write(body.subarray(sent, sent + 1));
          if (++sent >= body.length) {
            clearInterval(timer);
            res.end();
          }
        }, 200);
        timers.add(timer);
        res.on('close', () => clearInterval(timer));
      });
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('OCIRepository spec.timeout in Pull and Inspect over stdio', () => {
  let server: LiveServer;
  let client: LspClient;
  let host: string;
  let slowLayer = '';
  const uri = (name: string) => server.uris[`${name}.yaml`]!;
  // Line 1 is `kind:` in every manifest written here: inside the object.
  const at = (name: string) => client.request<Source | null>('fluxOci/artifactAtPosition', { uri: uri(name), position: { line: 1, character: 2 } });

  before(async () => {
    server = await startLiveServer('pull-timeout', async (r) => {
      await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.7.1', appVersion: '6.7.1' });
      // Pulled only through the trickling proxy, so no earlier pull has put its layer in the artifact cache.
      const slow = await pushHelmChart(r, 'charts/podinfo', { name: 'podinfo', version: '6.9.0', appVersion: '6.9.0' });
      slowLayer = slow.layers.find((l) => l.mediaType === HELM_LAYER)!.digest;
      return {
        'slow.yaml': repository(r.host, 'slow', '90s'),
        'plain.yaml': repository(r.host, 'plain'),
        'compound.yaml': repository(r.host, 'compound', '1m30s'),
        'substituted.yaml': repository(r.host, 'substituted', '${PULL_TIMEOUT}'),
        'release.yaml': RELEASE,
      };
    });
    client = server.client;
    host = server.registry.host;
  });
  after(() => server?.stop());

  it('reports spec.timeout: 90s as timeoutSeconds: 90 on the OCIRepository under the cursor', async () => {
    const source = await at('slow');
    assert.equal(source?.kind, 'OCIRepository');
    assert.equal(source?.name, 'slow');
    assert.equal(source?.timeoutSeconds, 90);
  });

  it('follows a HelmRelease chartRef to the OCIRepository and its timeout', async () => {
    const source = await at('release');
    assert.equal(source?.name, 'slow');
    assert.equal(source?.timeoutSeconds, 90);
  });

  it('reads compound Go durations and leaves timeoutSeconds out when spec.timeout is absent or a substitution', async () => {
    assert.equal((await at('compound'))?.timeoutSeconds, 90);
    const plain = await at('plain');
    assert.equal(plain?.name, 'plain');
    assert.equal('timeoutSeconds' in (plain ?? {}), false);
    const substituted = await at('substituted');
    assert.equal(substituted?.name, 'substituted');
    assert.equal('timeoutSeconds' in (substituted ?? {}), false);
  });

  it('lists the timeout on workspace sources too', async () => {
    const sources = await client.request<Source[]>('fluxOci/workspaceSources', {});
    const byName = new Map(sources.map((s) => [s.name, s.timeoutSeconds]));
    assert.equal(byName.get('slow'), 90);
    assert.equal(byName.get('plain'), undefined);
  });

  for (const invalid of [0, -5, 'soon', '90', { seconds: 90 }, [90]]) {
    it(`answers pullArtifact with timeoutSeconds ${JSON.stringify(invalid)} with a clear LSP error`, async () => {
      await assert.rejects(client.request('fluxOci/pullArtifact', { reference: `oci://${host}/charts/podinfo:6.7.1`, timeoutSeconds: invalid }), (error: unknown) => {
        assert.ok(error instanceof RpcResponseError, String(error));
        assert.equal(error.code, -32803); // LSP RequestFailed
        assert.match(error.serverMessage, /^timeoutSeconds must be a positive number of seconds \(got .+\)\.$/);
        return true;
      });
    });
  }

  it('pulls with a valid timeoutSeconds (the OCIRepository value) and with a fractional one', async () => {
    for (const timeoutSeconds of [90, 45.5]) {
      const pulled = await client.request<{ kind: string; chart?: { version: string }; files: unknown[] }>('fluxOci/pullArtifact', {
        reference: `oci://${host}/charts/podinfo:6.7.1`,
        layerMediaType: HELM_LAYER,
        timeoutSeconds,
      });
      assert.equal(pulled.kind, 'helm-chart');
      assert.equal(pulled.chart?.version, '6.7.1');
      assert.ok(pulled.files.length > 0);
    }
  });

  it('ends a layer download that outlasts timeoutSeconds with a timeout error naming that bound', async () => {
    // At one byte per 200 ms the chart layer takes minutes, far inside the 10-minute default: only the 1 s bound ends it.
    const proxy = await startTrickleProxy(server.registry.url, slowLayer);
    try {
      await assert.rejects(client.request('fluxOci/pullArtifact', { reference: `oci://${proxy.host}/charts/podinfo:6.9.0`, layerMediaType: HELM_LAYER, timeoutSeconds: 1 }), (error: unknown) => {
        assert.ok(error instanceof RpcResponseError, String(error));
        assert.match(error.serverMessage, new RegExp(`download of blob ${slowLayer}.* did not finish within 1 s`));
        return true;
      });
    } finally {
      await proxy.stop();
    }
  });
});

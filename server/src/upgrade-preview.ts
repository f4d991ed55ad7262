// "Preview Upgrade to X…": code lenses on a HelmRelease's chart source and an OCIRepository's ref when a newer version
// exists outside the range, and fluxOci/upgradeReport, which the lens's command asks for. Thin: the core builds the report.
import type { CancellationToken, CodeLens, CodeLensParams, Connection } from 'vscode-languageserver/node';
import { renderUpgradeMarkdown } from '../../core/live/upgrade-render';
import { freshPath, guarded, trackLive, type FeatureContext } from './feature-context';
import { PreviewUpgradeCommand, UpgradeReportRequest, type PreviewUpgradeArgument, type UpgradeReportParams, type UpgradeReportResult } from '../../shared/protocol';
import { failingClearly, requestCancelled, requestFailed, requireDocumentPosition, signalFor } from './request-errors';

export function registerUpgradePreview(connection: Connection, context: FeatureContext): void {
  connection.onCodeLens(
    guarded('Code lenses', context.log, [] as CodeLens[], async (params: CodeLensParams, token: CancellationToken): Promise<CodeLens[]> => {
      const uri = params.textDocument.uri;
      const path = freshPath(context, uri);
      if (!context.state.index.hasFile(path)) return [];
      const service = await context.live.live();
      const lenses = await trackLive(context, 'Looking for newer chart versions', () => service.upgradeLenses(path, { signal: signalFor(token) }));
      if (token.isCancellationRequested) return [];
      return lenses.map((lens) => {
        // An object its Kustomizations apply differently gets one lens per distinct upgrade, named after them.
        const variant = lens.kustomizations?.[0];
        const argument: PreviewUpgradeArgument = { uri, position: lens.range.start, to: lens.to, ...(variant ? { kustomization: variant } : {}) };
        const title = `Preview Upgrade to ${lens.to}…${lens.kustomizations ? ` (${lens.kustomizations.join(', ')})` : ''}`;
        return { range: lens.range, command: { title, command: PreviewUpgradeCommand, arguments: [argument] } };
      });
    }),
  );

  connection.onRequest(
    UpgradeReportRequest,
    failingClearly('Upgrade report', context.log, async (params: UpgradeReportParams, token): Promise<UpgradeReportResult> => {
      const { uri, position } = requireDocumentPosition(params);
      if (params.to !== undefined && (typeof params.to !== 'string' || params.to.trim() === '')) throw requestFailed('"to" must be a version tag.');
      if (params.kustomization !== undefined && typeof params.kustomization !== 'string') throw requestFailed('"kustomization" must be namespace/name.');
      const path = freshPath(context, uri);
      const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
      progress.begin('Building the upgrade report', undefined, 'Resolving the chart source…', true);
      try {
        const service = await context.live.live();
        const signal = signalFor(token);
        const result = await trackLive(context, 'Building an upgrade report', () =>
          service.upgradeReportAt(path, position, { to: params.to?.trim(), kustomization: params.kustomization }, { signal, onProgress: (message) => progress.report(message) }),
        );
        if (signal.aborted) throw requestCancelled();
        if (!result) throw requestFailed('There is no OCIRepository or HelmRelease chart source at this position.');
        if (!result.ok) throw requestFailed(result.message);
        const { report } = result;
        return {
          markdown: renderUpgradeMarkdown(report),
          source: report.source,
          chart: report.chart,
          from: report.from.tag,
          to: report.to.tag,
          fromReference: `${report.source}:${report.from.tag}`,
          toReference: `${report.source}:${report.to.tag}`,
          ...(result.insecure ? { insecure: true } : {}),
          breaking: report.breaking,
          findings: report.findings.map(({ level, topic, subject, message }) => ({ level, topic, subject, message })),
        };
      } finally {
        progress.done();
      }
    }),
  );
}

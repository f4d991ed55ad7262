// The inspect summary model (what the CLI and the VS Code summary page show) and its text/markdown renderers.
// Built from a PulledArtifact; pure formatting, no I/O. Registry-supplied strings are escaped before rendering.
import { describeKind, effectiveArtifactType, type ArtifactKind } from './artifact-kind';
import type { ChartMetadata } from './chart-metadata';
import { formatBytes } from './limits';
import type { PulledArtifact } from './pull-artifact';
import type { ExtractedFile, SkippedLink } from './safe-extract';

export interface LayerSummary {
  index: number;
  mediaType: string;
  digest: string;
  size: number;
  selected: boolean;
  title?: string;
}

export interface InspectSummary {
  reference: string;
  digest: string;
  indexDigest?: string;
  kind: ArtifactKind;
  kindLabel: string;
  manifestMediaType: string;
  artifactType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: LayerSummary[];
  layerRule: string;
  layerWarning?: string;
  source?: string;
  revision?: string;
  created?: string;
  annotations: Record<string, string>;
  chart?: ChartMetadata;
  chartProblem?: string;
  image?: { os?: string; architecture?: string; created?: string };
  extracted: boolean;
  files: ExtractedFile[];
  totalBytes: number;
  skippedSymlinks: SkippedLink[];
  signatures?: { signed: boolean; sources: string[]; referrers: Array<{ artifactType?: string; digest: string }> };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function summarizeArtifact(pulled: PulledArtifact): InspectSummary {
  const a = pulled.annotations;
  const summary: InspectSummary = {
    reference: pulled.reference,
    digest: pulled.digest,
    ...(pulled.indexDigest ? { indexDigest: pulled.indexDigest } : {}),
    kind: pulled.kind,
    kindLabel: describeKind(pulled.kind),
    manifestMediaType: pulled.manifestMediaType,
    artifactType: effectiveArtifactType(pulled.manifest),
    config: { mediaType: pulled.manifest.config.mediaType, digest: pulled.manifest.config.digest, size: pulled.manifest.config.size },
    layers: pulled.manifest.layers.map((l, index) => ({
      index,
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
      selected: index === pulled.layer.index,
      ...(l.annotations?.['org.opencontainers.image.title'] ? { title: l.annotations['org.opencontainers.image.title'] } : {}),
    })),
    layerRule: { 'layer-selector': 'layerSelector.mediaType', 'helm-chart-layer': 'Helm chart content layer', 'first-layer': 'first layer (Flux default)' }[pulled.layer.rule],
    ...(pulled.layer.warning ? { layerWarning: pulled.layer.warning } : {}),
    annotations: a,
    extracted: pulled.extracted,
    files: pulled.files,
    totalBytes: pulled.files.reduce((sum, f) => sum + f.size, 0),
    skippedSymlinks: pulled.skippedSymlinks,
  };
  if (a['org.opencontainers.image.source']) summary.source = a['org.opencontainers.image.source'];
  if (a['org.opencontainers.image.revision']) summary.revision = a['org.opencontainers.image.revision'];
  if (a['org.opencontainers.image.created']) summary.created = a['org.opencontainers.image.created'];
  if (pulled.chart) summary.chart = pulled.chart;
  if (pulled.chartProblem) summary.chartProblem = pulled.chartProblem;
  if (pulled.kind === 'container-image' && isRecord(pulled.config)) {
    const c = pulled.config;
    summary.image = {
      ...(typeof c.os === 'string' ? { os: c.os } : {}),
      ...(typeof c.architecture === 'string' ? { architecture: c.architecture } : {}),
      ...(typeof c.created === 'string' ? { created: c.created } : {}),
    };
  }
  if (pulled.signatures) {
    summary.signatures = {
      signed: pulled.signatures.signed,
      sources: pulled.signatures.sources,
      referrers: pulled.signatures.referrers.map((r) => ({ digest: r.digest, ...(r.artifactType ? { artifactType: r.artifactType } : {}) })),
    };
  }
  return summary;
}

/** Escapes text for a markdown table cell or paragraph, so registry data cannot inject links or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function chartLines(chart: ChartMetadata): string[] {
  const lines = [`- **Name:** ${escapeMarkdown(chart.name)}`, `- **Version:** ${escapeMarkdown(chart.version)}`];
  if (chart.appVersion) lines.push(`- **App version:** ${escapeMarkdown(chart.appVersion)}`);
  if (chart.type) lines.push(`- **Type:** ${escapeMarkdown(chart.type)}`);
  if (chart.description) lines.push(`- **Description:** ${escapeMarkdown(chart.description)}`);
  if (chart.dependencies.length) {
    lines.push('- **Dependencies:**');
    for (const d of chart.dependencies) {
      lines.push(`  - ${escapeMarkdown(d.name)}${d.version ? ` ${escapeMarkdown(d.version)}` : ''}${d.repository ? ` (${escapeMarkdown(d.repository)})` : ''}`);
    }
  }
  return lines;
}

export function renderSummaryMarkdown(s: InspectSummary): string {
  const out: string[] = [`# ${escapeMarkdown(s.reference)}`, '', `**${s.kindLabel}** · digest ${code(s.digest)}`, ''];
  if (s.indexDigest) out.push(`Resolved from index ${code(s.indexDigest)}.`, '');
  if (s.source || s.revision || s.created) {
    out.push('## Origin', '');
    if (s.source) out.push(`- **Source:** ${escapeMarkdown(s.source)}`);
    if (s.revision) out.push(`- **Revision:** ${escapeMarkdown(s.revision)}`);
    if (s.created) out.push(`- **Created:** ${escapeMarkdown(s.created)}`);
    out.push('');
  }
  if (s.chart) out.push('## Chart', '', ...chartLines(s.chart), '');
  else if (s.chartProblem) out.push('## Chart', '', `⚠ ${escapeMarkdown(s.chartProblem)}`, '');
  if (s.image)
    out.push(
      '## Image',
      '',
      `- **Platform:** ${escapeMarkdown(`${s.image.os ?? '?'}/${s.image.architecture ?? '?'}`)}`,
      ...(s.image.created ? [`- **Created:** ${escapeMarkdown(s.image.created)}`] : []),
      '',
    );
  if (s.signatures) {
    out.push('## Signatures', '', s.signatures.signed ? `Signed (found via ${s.signatures.sources.join(', ')}).` : 'No signature found (referrers and cosign tag checked).', '');
  }
  out.push(
    '## Manifest',
    '',
    `- **Media type:** ${code(s.manifestMediaType)}`,
    `- **Artifact type:** ${code(s.artifactType)}`,
    `- **Config:** ${code(s.config.mediaType)} (${formatBytes(s.config.size)})`,
    '',
  );
  out.push('| # | Media type | Size | Digest | |', '|---|---|---:|---|---|');
  for (const l of s.layers) out.push(`| ${l.index} | ${code(l.mediaType)} | ${formatBytes(l.size)} | ${code(l.digest.slice(0, 19))}… | ${l.selected ? `selected (${s.layerRule})` : ''} |`);
  out.push('');
  if (s.layerWarning) out.push(`⚠ ${escapeMarkdown(s.layerWarning)}`, '');
  if (s.extracted) {
    out.push(`## Files (${s.files.length}, ${formatBytes(s.totalBytes)})`, '', '| Path | Size |', '|---|---:|');
    for (const f of s.files) out.push(`| ${code(f.path)} | ${formatBytes(f.size)} |`);
    if (s.skippedSymlinks.length) out.push('', `Symbolic links not extracted (Flux skips them too): ${s.skippedSymlinks.map((l) => code(`${l.path} → ${l.target}`)).join(', ')}`);
  } else out.push('Layers were not downloaded (container image layers are only listed).');
  const other = Object.entries(s.annotations).filter(([k]) => !/^org\.opencontainers\.image\.(source|revision|created)$/.test(k));
  if (other.length) {
    out.push('', '## Annotations', '', '| Key | Value |', '|---|---|');
    for (const [k, v] of other) out.push(`| ${code(k)} | ${escapeMarkdown(v)} |`);
  }
  return `${out.join('\n')}\n`;
}

export function renderSummaryText(s: InspectSummary): string {
  const out: string[] = [`${s.reference}`, `  kind:      ${s.kindLabel}`, `  digest:    ${s.digest}`];
  if (s.indexDigest) out.push(`  index:     ${s.indexDigest}`);
  out.push(`  manifest:  ${s.manifestMediaType}`, `  type:      ${s.artifactType}`, `  config:    ${s.config.mediaType} ${s.config.digest} (${formatBytes(s.config.size)})`);
  if (s.source) out.push(`  source:    ${s.source}`);
  if (s.revision) out.push(`  revision:  ${s.revision}`);
  if (s.created) out.push(`  created:   ${s.created}`);
  if (s.chart) {
    out.push(`  chart:     ${s.chart.name} ${s.chart.version}${s.chart.appVersion ? ` (app ${s.chart.appVersion})` : ''}`);
    if (s.chart.description) out.push(`             ${s.chart.description}`);
    for (const d of s.chart.dependencies) out.push(`  depends:   ${d.name}${d.version ? ` ${d.version}` : ''}${d.repository ? ` from ${d.repository}` : ''}`);
  } else if (s.chartProblem) out.push(`  chart:     ${s.chartProblem}`);
  if (s.image) out.push(`  platform:  ${s.image.os ?? '?'}/${s.image.architecture ?? '?'}`);
  if (s.signatures) out.push(`  signed:    ${s.signatures.signed ? `yes (${s.signatures.sources.join(', ')})` : 'no signature found'}`);
  out.push('  layers:');
  for (const l of s.layers) out.push(`    ${l.selected ? '*' : ' '} ${l.index} ${l.mediaType} ${formatBytes(l.size)} ${l.digest}`);
  if (s.layerWarning) out.push(`  warning:   ${s.layerWarning}`);
  for (const [k, v] of Object.entries(s.annotations).filter(([k]) => !/^org\.opencontainers\.image\.(source|revision|created)$/.test(k))) out.push(`  annotation ${k}=${v}`);
  if (s.extracted) {
    out.push(`  files (${s.files.length}, ${formatBytes(s.totalBytes)}):`);
    const width = Math.max(0, ...s.files.map((f) => formatBytes(f.size).length));
    for (const f of s.files) out.push(`    ${formatBytes(f.size).padStart(width)}  ${f.path}`);
    for (const l of s.skippedSymlinks) out.push(`    (symlink skipped) ${l.path} -> ${l.target}`);
  } else out.push('  files:     not downloaded (container image layers are only listed)');
  // Registry-supplied text must not drive the terminal (escape sequences): control characters become "?".
  return `${out.map((line) => line.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '?')).join('\n')}\n`;
}

// Decides whether a file is a Helm chart template (`<chart>/templates/...` of a directory holding
// Chart.yaml): Go templates, YAML only once Helm renders them, so they are never analysed. No I/O here.
import { basename, dirname } from 'node:path';

/** The file Helm requires at a chart's root. */
export const CHART_FILE = 'Chart.yaml';

/** The directory whose `templates/` folder (at any depth) holds files Helm renders. */
export const CHART_TEMPLATES_DIR = 'templates';

/**
 * The chart directory when `path` lies inside `<chart>/templates/` and `<chart>` holds Chart.yaml
 * (asked through `hasChartFile`, only for the parents of `templates` folders on the path).
 */
export function helmChartOfTemplate(path: string, hasChartFile: (dir: string) => boolean): string | undefined {
  let dir = dirname(path);
  for (;;) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    if (basename(dir) === CHART_TEMPLATES_DIR && hasChartFile(parent)) return parent;
    dir = parent;
  }
}

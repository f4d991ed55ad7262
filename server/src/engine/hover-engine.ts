// Adapter over the core hover function (core/manifests), so wiring the core is a one-line change here.
// Must not contain hover logic itself: the core owns what a hover says.
import type { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import type { Position, Range } from '../../../core/text-range';
import { hoverAt } from '../../../core/manifests/hover';

export interface CoreHover {
  markdown: string;
  range?: Range;
}

/** Hover for `path` at `position`, or undefined. */
export function hoverFromCore(index: WorkspaceIndex, path: string, position: Position): CoreHover | undefined {
  return hoverAt(index, path, position);
}

// Adapter over the core completion function (core/manifests), so wiring the core is a one-line change here.
// Must not contain completion logic itself: the core owns which fields and values are offered.
import type { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import type { Position } from '../../../core/text-range';
import { completionsAt } from '../../../core/manifests/completion';

export interface CoreCompletion {
  label: string;
  kind: 'field' | 'value' | 'snippet';
  detail?: string;
  documentation?: string;
  insertText?: string;
  isSnippet?: boolean;
}

/** Completions for `path` at `position`. */
export function completionsFromCore(index: WorkspaceIndex, path: string, position: Position): CoreCompletion[] {
  return completionsAt(index, path, position);
}

// An OutputChannel that hides credential values before they are written: the language client's LSP trace
// (fluxOci.trace.server) prints every notification's params, fluxOci/setCredentials included. Wraps; never stores text.
import type * as vscode from 'vscode';
import { redactCredentials } from '../../shared/redaction';

export function redactingOutputChannel(channel: vscode.OutputChannel): vscode.OutputChannel {
  return {
    get name() {
      return channel.name;
    },
    append: (value: string) => channel.append(redactCredentials(value)),
    appendLine: (value: string) => channel.appendLine(redactCredentials(value)),
    replace: (value: string) => channel.replace(redactCredentials(value)),
    clear: () => channel.clear(),
    show: (columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof columnOrPreserve === 'boolean' || columnOrPreserve === undefined ? channel.show(columnOrPreserve) : channel.show(columnOrPreserve, preserveFocus),
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}

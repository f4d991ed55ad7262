// The status bar entry for registry traffic: a spinner while the server talks to a registry (fluxOci/registryActivity),
// a warning with the message when the last call failed, hidden otherwise. Never shows credentials (the server sends none).
import * as vscode from 'vscode';
import type { RegistryActivityParams } from '../../shared/protocol';

/** The tooltip text with the network line (proxy, CA bundle) under it, when the server sent one. */
function withNetwork(text: string, network: string | undefined): string {
  return network ? `${text}\n\n${network}` : text;
}

export class RegistryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('fluxOci.registryActivity', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Flux OCI registry activity';
  }

  update(params: RegistryActivityParams): void {
    if (params.busy > 0) {
      this.item.text = '$(sync~spin) Flux OCI';
      this.item.tooltip = withNetwork(params.label ?? 'Talking to a registry…', params.network);
      this.item.backgroundColor = undefined;
      this.item.command = 'fluxOci.showOutput';
      this.item.show();
    } else if (params.lastError) {
      this.item.text = '$(warning) Flux OCI';
      this.item.tooltip = withNetwork(`The last registry call failed: ${params.lastError}`, params.network);
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.command = 'fluxOci.refresh';
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}

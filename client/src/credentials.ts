// "Sign in to Registry…" / "Sign out of Registry…": keeps registry credentials in VS Code SecretStorage and hands them
// to the server with `fluxOci/setCredentials`. Never logs or displays a password or token.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SetCredentialsNotification, type SetCredentialsParams } from '../../shared/protocol';

const SECRET_KEY = 'fluxOci.registryCredentials';

type StoredCredential = SetCredentialsParams['credentials'][number];

async function readStored(secrets: vscode.SecretStorage): Promise<StoredCredential[]> {
  try {
    const parsed = JSON.parse((await secrets.get(SECRET_KEY)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((c): c is StoredCredential => typeof c?.host === 'string' && typeof c?.username === 'string' && typeof c?.password === 'string') : [];
  } catch {
    return [];
  }
}

/** Sends every stored credential to the server (at start and after each change). */
export async function sendStoredCredentials(client: LanguageClient, secrets: vscode.SecretStorage): Promise<void> {
  const params: SetCredentialsParams = { credentials: await readStored(secrets) };
  await client.sendNotification(SetCredentialsNotification, params);
}

/** `ghcr.io`, `127.0.0.1:5000` from what people paste (`https://ghcr.io/`, `oci://ghcr.io/org/app`). */
export function normalizeHost(input: string): string {
  return input
    .trim()
    .replace(/^(oci|https?):\/\//, '')
    .split('/')[0]!
    .toLowerCase();
}

export async function signIn(client: LanguageClient | undefined, secrets: vscode.SecretStorage): Promise<void> {
  const hostInput = await vscode.window.showInputBox({
    title: 'Sign in to Registry (1/3)',
    prompt: 'Registry host, e.g. ghcr.io or registry.example.com:5000',
    ignoreFocusOut: true,
    validateInput: (v) => (/^[^\s/]+$/.test(normalizeHost(v)) && normalizeHost(v) ? undefined : 'Type a host such as ghcr.io'),
  });
  if (!hostInput) return;
  const host = normalizeHost(hostInput);
  const username = await vscode.window.showInputBox({ title: `Sign in to ${host} (2/3)`, prompt: 'User name', ignoreFocusOut: true });
  if (username === undefined || username === '') return;
  const password = await vscode.window.showInputBox({ title: `Sign in to ${host} (3/3)`, prompt: 'Password or access token (stored in VS Code secret storage)', password: true, ignoreFocusOut: true });
  if (password === undefined || password === '') return;
  const stored = (await readStored(secrets)).filter((c) => c.host !== host);
  stored.push({ host, username, password });
  await secrets.store(SECRET_KEY, JSON.stringify(stored));
  if (client) await sendStoredCredentials(client, secrets);
  void vscode.window.showInformationMessage(`Flux OCI: signed in to ${host} as ${username}.`);
}

export async function signOut(client: LanguageClient | undefined, secrets: vscode.SecretStorage): Promise<void> {
  const stored = await readStored(secrets);
  if (stored.length === 0) {
    void vscode.window.showInformationMessage('Flux OCI: no registry credentials are stored.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    stored.map((c) => ({ label: c.host, description: c.username })),
    { title: 'Sign out of Registry' },
  );
  if (!picked) return;
  await secrets.store(SECRET_KEY, JSON.stringify(stored.filter((c) => c.host !== picked.label)));
  if (client) await sendStoredCredentials(client, secrets);
  void vscode.window.showInformationMessage(`Flux OCI: signed out of ${picked.label}.`);
}

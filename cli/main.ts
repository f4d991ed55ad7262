// Entry of the `flux-oci` command line: parses the sub-command and hands over to cli/commands/*.
// Exit codes: 0 clean, 1 problems found, 2 usage or I/O error. Output goes to stdout/stderr only here.
import type { CliIO } from './cli-io';
import { redactCredentials } from '../shared/redaction';

type CommandModule = { run(argv: string[], io: CliIO): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  check: { summary: 'validate Flux manifests (files or directories)', load: () => import('./commands/check') },
  inspect: { summary: 'show what an OCI artifact or chart holds (manifest, layers, files)', load: () => import('./commands/inspect') },
  pull: { summary: 'pull, verify and safely extract an artifact or chart into a folder', load: () => import('./commands/pull') },
  tags: { summary: "list a repository's tags newest first, or the one a semver range selects", load: () => import('./commands/tags') },
  upgrade: { summary: "report what moving a chart from one version to another does to a release's values", load: () => import('./commands/upgrade') },
};

const usage = () =>
  'usage: flux-oci <command> [options]\n\ncommands:\n' +
  Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
    .join('\n') +
  '\n\nRun `flux-oci <command> --help` for the options of one command.\n';

export async function main(argv: string[], rawIo: CliIO): Promise<number> {
  // Every byte the CLI prints (text, JSON, SARIF, errors) passes the one credential redaction.
  const io: CliIO = { out: (s) => rawIo.out(redactCredentials(s)), err: (s) => rawIo.err(redactCredentials(s)) };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(`${process.env.FLUX_OCI_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`flux-oci: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest, io);
  } catch (error) {
    io.err(`flux-oci ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

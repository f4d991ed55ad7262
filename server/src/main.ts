// STUB entry of the stdio language server (replaced by the server implementation).
// Writes nothing to stdout but the protocol.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: {} }));
connection.listen();

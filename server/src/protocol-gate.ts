// Answers, before any handler runs, the requests the LSP spec says a server must refuse: anything after `shutdown`
// (InvalidRequest) and text-document requests without a document (InvalidParams). Must not touch other messages.
import {
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  Message,
  StreamMessageReader,
  StreamMessageWriter,
  type DataCallback,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

/** Why a request is answered with an error instead of reaching its handler; undefined lets it through. */
export function refusal(message: Message, shutDown: boolean): { code: number; message: string } | undefined {
  if (!Message.isRequest(message)) return undefined;
  if (shutDown && message.method !== 'shutdown') {
    return { code: ErrorCodes.InvalidRequest, message: `The server is shutting down and no longer answers ${message.method}.` };
  }
  if (message.method.startsWith('textDocument/')) {
    const params = message.params as { textDocument?: { uri?: unknown } } | null | undefined;
    const uri = params && typeof params === 'object' && !Array.isArray(params) ? params.textDocument?.uri : undefined;
    if (typeof uri !== 'string' || uri === '') {
      return { code: ErrorCodes.InvalidParams, message: `${message.method} needs params with textDocument.uri.` };
    }
  }
  return undefined;
}

/** A reader that answers refused requests itself through `writer` and hands every other message on. */
export function gatedReader(reader: MessageReader, writer: MessageWriter): MessageReader {
  let shutDown = false;
  return {
    onError: reader.onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage,
    dispose: () => reader.dispose(),
    listen(callback: DataCallback) {
      return reader.listen((message) => {
        const refused = refusal(message, shutDown);
        if (Message.isRequest(message) && message.method === 'shutdown') shutDown = true;
        if (refused && Message.isRequest(message)) {
          void writer.write({ jsonrpc: '2.0', id: message.id, error: refused } as Message);
          return;
        }
        callback(message);
      });
    },
  };
}

/** The gated reader and writer for how the server was started (`--stdio` or VS Code's `--node-ipc`), else undefined. */
export function gatedTransport(argv: readonly string[]): { reader: MessageReader; writer: MessageWriter } | undefined {
  let reader: MessageReader;
  let writer: MessageWriter;
  if (argv.includes('--stdio')) {
    reader = new StreamMessageReader(process.stdin);
    writer = new StreamMessageWriter(process.stdout);
  } else if (argv.includes('--node-ipc')) {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
  } else {
    return undefined;
  }
  return { reader: gatedReader(reader, writer), writer };
}

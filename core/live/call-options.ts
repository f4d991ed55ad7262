// What a caller of the live service passes with each request: a signal that cancels it and where progress goes.
// Shared by the service and the helpers it hands work to.

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

// Messages between the extension host and the chat webview, imported by both bundles.
// Every message is a member of a discriminated union; stream messages carry their requestId.

export type HostToWebview = { type: 'init'; modelLabel: string };

export type WebviewToHost = { type: 'ready' };

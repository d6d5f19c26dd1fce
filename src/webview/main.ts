// Chat panel (browser side). Placeholder until the chat panel issue lands.
import type { WebviewToHost } from '../protocol';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

acquireVsCodeApi().postMessage({ type: 'ready' });

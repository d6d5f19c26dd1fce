// Runs the test server on its own: `node out/test/server/cli.js [--demo] [--port N] [--tps N]`.
// Prints `STREAM_CHAT_BASE_URL=<url>` once listening, so a launcher can read it from stdout.
import { startTestServer } from './index';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const server = await startTestServer({
    port: Number(flag('--port') ?? 0),
    demo: demo ? { tokensPerSecond: Number(flag('--tps') ?? 40) } : undefined,
  });
  console.log(`STREAM_CHAT_BASE_URL=${server.baseUrl}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

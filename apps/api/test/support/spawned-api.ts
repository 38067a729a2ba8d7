import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The api as a separate process (from source, through ts-node with SWC), so a test can kill it
 * abruptly with SIGKILL — no shutdown hooks, no goodbyes — the way a crashed instance goes.
 */
export class SpawnedApi {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Whether the process has ended (killed or crashed). */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Starts the api on `port` of 127.0.0.1 (or of `env.HOST`) and waits until /health answers. */
  static async start(port: number, env: Record<string, string>): Promise<SpawnedApi> {
    const host = env.HOST ?? '127.0.0.1';
    const root = join(__dirname, '..', '..', '..', '..');
    const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        TS_NODE_PROJECT: 'apps/api/tsconfig.json',
        TS_NODE_TRANSPILE_ONLY: 'true',
        TS_NODE_SWC: 'true',
        PORT: String(port),
        HOST: host,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const api = new SpawnedApi(child, `http://${host}:${port}`);
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`The api exited with ${child.exitCode}:\n${api.output}`);
      try {
        if ((await fetch(`${api.url}/health`)).ok) return api;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`The api did not start:\n${api.output}`);
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

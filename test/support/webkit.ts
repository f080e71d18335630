/**
 * Debian's WebKitGTK (MiniBrowser) driven through its W3C WebDriver server, `WebKitWebDriver`, under a virtual X
 * display (`xvfb-run`). WebKitGTK plays MSE but has no `RTCPeerConnection`: the "no WebRTC" browser.
 *
 * The client is the handful of W3C WebDriver commands the tests use (new session, navigate, execute script,
 * delete session) over fetch; a WebDriver library would bring far more than these five requests need.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export const MINIBROWSER_PATH = process.env.MINIBROWSER_BIN ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DRIVER = process.env.WEBKIT_WEBDRIVER_BIN ?? 'WebKitWebDriver';

export interface WebKitSession {
  goto(url: string): Promise<void>;
  /** Runs `script` (a function body; `arguments` holds `args`) in the page and returns its JSON result. */
  evaluate<T>(script: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export interface WebKitDriver {
  newSession(): Promise<WebKitSession>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface WireReply {
  value: unknown;
}

/**
 * A page whose script never returns (a hung media pipeline) would otherwise hold a command for undici's default
 * five minutes; a test fails fast instead.
 */
const COMMAND_TIMEOUT_MS = 30000;

async function command(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const reply = (await res.json()) as WireReply;
  if (!res.ok) {
    const v = reply.value as { error?: string; message?: string } | undefined;
    throw new Error(`WebDriver ${method} ${path}: ${v?.error ?? res.status}: ${v?.message ?? ''}`);
  }
  return reply.value;
}

async function waitForDriver(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${child.exitCode}`);
    try {
      const status = (await command(base, 'GET', '/status')) as { ready?: boolean };
      if (status.ready !== false) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts `xvfb-run -a WebKitWebDriver --port=N` on 127.0.0.1. */
export async function startWebKitDriver(): Promise<WebKitDriver> {
  const port = await freePort();
  const child = spawn('xvfb-run', ['-a', DRIVER, `--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so close() ends Xvfb and the browsers with it.
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForDriver(base, child, 20000);
  } catch (e) {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    throw new Error(`${String(e)}; stderr: ${stderr}`);
  }
  const sessions = new Set<WebKitSession>();
  return {
    async newSession() {
      const created = (await command(base, 'POST', '/session', {
        capabilities: {
          alwaysMatch: {
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
          },
        },
      })) as { sessionId: string };
      const s = `/session/${created.sessionId}`;
      let closed = false;
      const session: WebKitSession = {
        async goto(url) {
          await command(base, 'POST', `${s}/url`, { url });
        },
        async evaluate<T>(script: string, ...args: unknown[]) {
          return (await command(base, 'POST', `${s}/execute/sync`, { script, args })) as T;
        },
        async close() {
          if (closed) return;
          closed = true;
          sessions.delete(session);
          await command(base, 'DELETE', s).catch(() => undefined);
        },
      };
      sessions.add(session);
      return session;
    },
    async close() {
      await Promise.all([...sessions].map((s) => s.close()));
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await new Promise((r) => setTimeout(r, 300));
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

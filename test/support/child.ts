/** A forked child process that talks over IPC: its messages queue up, none is missed. */
import { fork, type ChildProcess } from 'node:child_process';

export class Child {
  private readonly child: ChildProcess;
  private readonly inbox: { type: string }[] = [];
  private wake?: () => void;

  constructor(script: string, args: string[]) {
    this.child = fork(script, args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: { type: string }) => {
      this.inbox.push(m);
      this.wake?.();
    });
    this.child.on('exit', () => this.wake?.());
  }

  /** The exit code once the child is gone (null while it runs). */
  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** Sends a message; to a child that has exited, nothing (the next `next` says it is gone). */
  send(msg: Record<string, unknown>): void {
    if (this.child.connected) this.child.send(msg);
  }

  /** The next message of a type from the child. */
  async next<T>(type: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as T;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`child: no "${type}" (exit ${this.child.exitCode})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.wake = () => (clearTimeout(t), resolve());
      });
    }
  }

  /** Asks the child to stop and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    await exited;
  }
}

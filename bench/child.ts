import { spawn } from 'node:child_process'

/** Runs a program as a plain child process, timed from spawn to exit; its stderr, or an error when it fails. */
export async function timedChild(
  file: string,
  args: string[],
  env: Record<string, string>
): Promise<{ ms: number; stderr: string }> {
  const started = performance.now()
  const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>(done => child.on('close', done))
  const ms = performance.now() - started
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr}`)
  return { ms, stderr }
}

import { randomBytes } from 'node:crypto'
import { accessSync, constants, lstatSync, readlinkSync, statSync, type Stats } from 'node:fs'
import { chmod, chown, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Transform, type Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ActionError } from '../errors.js'
import { inert } from '../outside.js'

/**
 * Where an answer goes with `-o`: a regular file (or a path not there yet) is written under a
 * temporary name beside it and renamed once whole; anything else that can be written (a FIFO, a
 * character device such as /dev/null, /dev/stdout, /dev/fd/N, NUL on Windows) is opened and written
 * in place, never replaced: as root, renaming over /dev/null would break every later process.
 */
export type OutputTarget =
  | { kind: 'replace'; shown: string; final: string; existing?: Stats }
  | { kind: 'in-place'; shown: string; path: string; handle?: FileHandle }

/** The process's own streams by name: reopened where they are, never resolved to what they point at. */
const STREAM_PATH = /^\/dev\/(stdout|stderr|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/
const WINDOWS_DEVICE = /^(nul|con)(\.[^.]*)?$/i
/** As the kernel's own limit on a chain of symbolic links (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40
/** What an answer's head is kept for: the Location and the envelope ID a lost answer's message quotes. */
const HEAD_KEPT = 64 * 1024

function usage(problem: string, fix: string): ActionError {
  return new ActionError('input', problem, fix, 'api-usage')
}

const errno = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? 'unreadable'

/**
 * What another user may have planted: in a sticky, world-writable folder (/tmp), a link, file or FIFO
 * owned neither by this user nor by the folder's owner. The kernel follows no such link and opens no
 * such file or FIFO for creation (fs.protected_symlinks, protected_regular, protected_fifos); a link read here, or a rename, would
 * bypass that and replace whatever it names (as root, any file) or hand the answer to its owner.
 */
function planted(path: string, stats: Stats): boolean {
  const me = process.geteuid?.()
  let folder: Stats
  try {
    folder = statSync(dirname(path))
  } catch {
    return false
  }
  return me !== undefined && (folder.mode & 0o1002) === 0o1002 && stats.uid !== me && stats.uid !== folder.uid
}

/**
 * The path a chain of symbolic links ends at (written through, not replaced); the path itself when it
 * is none. A link to one of the process's own streams (out.json -> /dev/stdout) stops there: past it
 * the kernel's magic link names a pipe ("pipe:[123]") or stdout's own file, neither to be replaced.
 */
function followLinks(path: string, shown: string): string {
  let current = path
  for (let n = 0; n < MAX_LINKS; n++) {
    if (STREAM_PATH.test(current)) return current
    let stats: Stats
    try {
      stats = lstatSync(current)
    } catch {
      return current
    }
    if (!stats.isSymbolicLink()) return current
    if (planted(current, stats)) {
      throw usage(
        `-o ${shown}: ${inert(current)} is a symbolic link another user made in a shared folder (sticky and world-writable, as /tmp); it is not followed.`,
        'Name a file of your own, in a folder only you can write to.'
      )
    }
    current = resolve(dirname(current), readlinkSync(current))
  }
  throw usage(`-o ${shown}: too many symbolic links.`, 'Name the file itself.')
}

/**
 * The `-o` target, checked before anything is sent: a directory, a missing or unwritable folder, a
 * socket are refused (exit 2) so that a request DocuSign accepts always has somewhere to go.
 */
export function outputTarget(given: string): OutputTarget {
  const shown = inert(given)
  if (!given) throw usage('-o/--output is empty.', 'Name a file, or leave -o out for stdout.')
  // resolve() drops a final slash: out.json/ would have replaced the file out.json, new/ made a file.
  if (/[\\/]$/.test(given) && given.length > 1) {
    throw usage(
      `-o ${shown} ends in a slash: it names a folder.`,
      `Name a file in it, such as ${join(shown, 'answer.json')}.`
    )
  }
  if (process.platform === 'win32' && WINDOWS_DEVICE.test(basename(given)))
    return { kind: 'in-place', shown, path: given }
  const final = followLinks(resolve(given), shown)
  if (STREAM_PATH.test(final)) return { kind: 'in-place', shown, path: stream(final, shown) }
  let existing: Stats | undefined
  try {
    existing = statSync(final)
  } catch (error) {
    if (errno(error) !== 'ENOENT')
      throw usage(`-o ${shown} cannot be checked (${errno(error)}).`, 'Name a file you can write.')
  }
  if (existing?.isDirectory()) {
    throw usage(`-o ${shown} is a directory.`, `Name a file in it, such as ${join(shown, 'answer.json')}.`)
  }
  // A FIFO another user made there would hand them the answer (the kernel's protected_fifos).
  if (existing && planted(final, existing)) {
    throw usage(
      `-o ${shown}: ${inert(final)} is a file another user owns in a shared folder (sticky and world-writable, as /tmp); it is not written.`,
      'Name a file of your own, in a folder only you can write to.'
    )
  }
  if (existing && (existing.isFIFO() || existing.isCharacterDevice())) {
    writable(final, shown)
    return { kind: 'in-place', shown, path: final }
  }
  if (existing && !existing.isFile()) {
    throw usage(`-o ${shown} is neither a file, a FIFO nor a character device.`, 'Name a file.')
  }
  const folder = dirname(final)
  let folderStats: Stats | undefined
  try {
    folderStats = statSync(folder)
  } catch {
    folderStats = undefined
  }
  if (!folderStats?.isDirectory()) {
    throw usage(
      `-o ${shown}: the folder ${inert(folder)} does not exist.`,
      'Create it first (mkdir -p), or name a file in a folder that exists.'
    )
  }
  writable(folder, shown)
  return { kind: 'replace', shown, final, existing }
}

/**
 * A stream path that can be opened: a file, a FIFO, a terminal or another character device. A socket
 * (stdout under systemd or a Node parent) cannot be, nor a descriptor that is not open, which names
 * one of Node's own (an epoll or eventfd inode) by the time it is opened: refused before sending.
 */
function stream(path: string, shown: string): string {
  let stats: Stats | undefined
  try {
    stats = statSync(path)
  } catch {
    stats = undefined
  }
  if (stats?.isSocket()) {
    throw usage(
      `-o ${shown} is a socket, which cannot be opened as a file.`,
      'Leave -o out: the answer goes to stdout.'
    )
  }
  if (!stats || !(stats.isFile() || stats.isFIFO() || stats.isCharacterDevice())) {
    throw usage(
      `-o ${shown} is not an open file, FIFO or terminal.`,
      'Open that descriptor for the command (3> FILE), or name a file.'
    )
  }
  return path
}

function writable(path: string, shown: string): void {
  try {
    accessSync(path, constants.W_OK)
  } catch {
    throw usage(`-o ${shown}: ${inert(path)} is not writable.`, 'Name a file in a folder you can write to.')
  }
}

/** What arrived of an answer: its size and its first bytes (for the envelope ID a lost answer's message quotes). */
interface Arrived {
  bytes: number
  head: Buffer
}

/** An answer that could not be delivered whole: which side failed, what arrived, and where it was kept. */
export class DeliveryError extends Error {
  constructor(
    readonly side: 'read' | 'write',
    readonly cause: unknown,
    readonly arrived: Arrived,
    /** The partial file kept (`FILE.incomplete`), when one was asked for and kept. */
    readonly kept?: string
  ) {
    super(String((cause as Error)?.message ?? cause))
  }
}

/** Counts a chunk and keeps the answer's first HEAD_KEPT bytes. */
function record(arrived: Arrived, chunk: Buffer): void {
  arrived.bytes += chunk.length
  if (arrived.head.length < HEAD_KEPT) {
    arrived.head = Buffer.concat([arrived.head, chunk.subarray(0, HEAD_KEPT - arrived.head.length)])
  }
}

/** Counts what passes and keeps its first HEAD_KEPT bytes. */
function tap(arrived: Arrived): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      record(arrived, chunk)
      done(null, chunk)
    }
  })
}

/** An answer that has nowhere to go: its first bytes are read for the message (the envelope ID), the rest left. */
async function readHead(source: Readable, arrived: Arrived): Promise<void> {
  try {
    for await (const chunk of source) {
      record(arrived, chunk as Buffer)
      if (arrived.head.length >= HEAD_KEPT) break
    }
  } catch {
    // What arrived before the failure is all there is.
  }
}

const IN_PLACE = constants.O_WRONLY | constants.O_APPEND | (constants.O_NOCTTY ?? 0)
// O_EXCL: never an existing name, and never through a symbolic link planted there.
const FRESH = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

/** The temporary name beside a file: within the 255 bytes a name may have, whatever the file's own name's length. */
function tempName(name: string): string {
  const kept = Buffer.from(name).subarray(0, 200).toString()
  return `.${kept}.${randomBytes(8).toString('hex')}.tmp`
}

/**
 * Opens an in-place target before anything is sent: a FIFO with no reader waits here, not after
 * DocuSign took the request, and what cannot be opened is refused (exit 2) while nothing is sent.
 */
export async function openInPlace(target: OutputTarget): Promise<void> {
  if (target.kind !== 'in-place') return
  try {
    target.handle = await open(target.path, IN_PLACE)
  } catch (error) {
    throw usage(
      `-o ${target.shown} cannot be opened (${errno(error)}).`,
      'Name a file, a FIFO with a reader, or a terminal.'
    )
  }
}

/**
 * Delivers an answer to stdout (left open) or to the `-o` target. A regular file is whole or not
 * there: a failure removes the temporary file, or, with `keepPartial` (a request DocuSign accepted),
 * keeps what arrived as FILE.incomplete (mode 0600). An existing file keeps its mode and owner.
 */
export async function deliver(
  source: Readable,
  target: OutputTarget | undefined,
  stdout: Writable,
  keepPartial: boolean
): Promise<Arrived> {
  const arrived: Arrived = { bytes: 0, head: Buffer.alloc(0) }
  let side: 'read' | 'write' | undefined
  source.once('error', () => (side ??= 'read'))
  let handle: FileHandle | undefined
  let temp: string | undefined
  try {
    if (target?.kind === 'in-place') handle = target.handle ?? (await open(target.path, IN_PLACE))
    else if (target) {
      temp = join(dirname(target.final), tempName(basename(target.final)))
      handle = await open(temp, FRESH, 0o600)
    }
  } catch (error) {
    if (keepPartial) await readHead(source, arrived)
    source.destroy()
    throw new DeliveryError('write', error, arrived)
  }
  const destination = handle ? handle.createWriteStream() : stdout
  destination.once('error', () => (side ??= 'write'))
  try {
    await pipeline(source, tap(arrived), destination, { end: handle !== undefined })
    if (handle && !destination.closed) await new Promise<void>(done => destination.once('close', () => done()))
    if (temp && target?.kind === 'replace') {
      const { existing } = target
      if (existing) {
        await chmod(temp, existing.mode & 0o7777)
        if (existing.uid !== process.getuid?.()) await chown(temp, existing.uid, existing.gid).catch(() => undefined)
      }
      await rename(temp, target.final)
    }
    return arrived
  } catch (error) {
    const kept = temp && target?.kind === 'replace' ? await partial(temp, target.final, keepPartial) : undefined
    throw new DeliveryError(side ?? 'write', error, arrived, kept)
  }
}

/** The temporary file of a failed delivery: removed, or kept as FILE.incomplete (where it is, if that fails). */
async function partial(temp: string, final: string, keep: boolean): Promise<string | undefined> {
  if (!keep) {
    await rm(temp, { force: true })
    return undefined
  }
  const incomplete = `${final}.incomplete`
  // Whole but not renamed (the target became a folder), it may carry the old file's mode by now.
  await chmod(temp, 0o600).catch(() => undefined)
  return rename(temp, incomplete).then(
    () => incomplete,
    () => temp
  )
}
